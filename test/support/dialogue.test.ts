// The dialogue suite: every scripted conversation of dialogues.ts through the HTTP API, on each
// database backend, with a fake clock.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setSupportClock } from '../../src/support/clock.js';
import { updateTenantSettings } from '../../src/store/tenants.js';
import { DB_BACKENDS } from '../helpers/backends.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { DEFAULT_START, DIALOGUES, type Dialogue } from './dialogues.js';

const HAN = /\p{Script=Han}/u;
/** The bot asking the user for a secret, in either language. */
const ASKS_FOR_SECRET = [
  /(?:请|麻烦|需要)(?:您)?.{0,6}(?:提供|发送|告诉|发给|输入)(?:我|我们|客服)?.{0,4}(?:密码|验证码|授权码|动态码)/,
  /\b(?:send|give|tell|provide|share|type)\b[^.?!]{0,20}\b(?:me|us)\b[^.?!]{0,20}\b(?:password|passcode|verification code|one-time code)/i,
];

describe('dialogue suite has enough conversations', () => {
  test('at least 40, half Chinese and half English', () => {
    const zh = DIALOGUES.filter((d) => d.lang === 'zh').length;
    const en = DIALOGUES.filter((d) => d.lang === 'en').length;
    expect(zh + en).toBeGreaterThanOrEqual(40);
    expect(zh).toBe(en);
    expect(new Set(DIALOGUES.map((d) => d.name)).size).toBe(DIALOGUES.length);
  });
});

describe.each(DB_BACKENDS)('dialogues on %s', (backend) => {
  let t: TestApp;
  let clock = new Date(DEFAULT_START);
  const ticketOf = new Map<string, number>();

  beforeAll(async () => {
    t = await startTestApp({ db: backend, env: { PROBE_ALLOWLIST: '127.0.0.1' } });
    setSupportClock(t.ctx, () => clock);
  }, 120_000);
  afterAll(async () => t?.close());

  const post = (url: string, payload: unknown) => t.as(t.keys.agent, { method: 'POST', url, payload: payload as object });

  async function agentAction(conversationId: string, action: 'returnToBot' | 'resolveTicket'): Promise<void> {
    const conv = (await t.as(t.keys.agent, { method: 'GET', url: `/v1/conversations/${conversationId}` })).json();
    expect(conv.ticketId).toBeTruthy();
    const body = action === 'returnToBot' ? { returnToBot: true } : { status: 'resolved' };
    const r = await t.as(t.keys.agent, { method: 'PATCH', url: `/v1/tickets/${conv.ticketId}`, payload: body });
    expect(r.statusCode, r.body).toBe(200);
  }

  async function run(d: Dialogue): Promise<void> {
    await updateTenantSettings(t.ctx.db, 'acme', { support: d.support ?? {} });
    clock = new Date(d.start ?? DEFAULT_START);
    const created = await post('/v1/conversations', { channel: 'web', user: d.user ?? {} });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    for (const [i, turn] of d.turns.entries()) {
      const where = `${d.name} turn ${i + 1} ("${turn.say}")`;
      if (turn.advance) clock = new Date(clock.getTime() + turn.advance * 1000);
      if (turn.agent) await agentAction(id, turn.agent);
      const r = await post(`/v1/conversations/${id}/messages`, { text: turn.say, ...(turn.attachments ? { attachments: turn.attachments } : {}) });
      expect(r.statusCode, `${where}: ${r.body}`).toBe(200);
      const out = r.json();
      const e = turn.expect ?? {};
      if (e.silent) {
        expect(out.reply, where).toBeNull();
        continue;
      }
      expect(typeof out.reply, where).toBe('string');
      // the reply is in the user's language and never asks for a secret
      if (d.lang === 'zh') expect(out.reply, where).toMatch(HAN);
      else expect(out.reply, where).not.toMatch(HAN);
      for (const re of ASKS_FOR_SECRET) expect(out.reply, where).not.toMatch(re);
      expect(out.ask.map((a: { field: string }) => a.field).join(','), where).not.toMatch(/pass|code/i);

      expect(out.handoff?.reason ?? null, `${where}: ${out.reply}`).toBe(e.handoff ?? null);
      if (e.priority) expect(out.handoff.priority, where).toBe(e.priority);
      if (e.channel) expect(out.handoff.channel, where).toBe(e.channel);
      if (e.queue) expect(out.handoff.queue, where).toBe(e.queue);
      if (e.queuedUntil) expect(out.handoff.expectedWait.opensAt, where).toBe(e.queuedUntil);
      if (out.handoff && !ticketOf.has(d.name)) ticketOf.set(d.name, out.handoff.ticketNumber);
      if (e.duplicateOf === false) expect(out.handoff.duplicate, where).toBe(false);
      if (typeof e.duplicateOf === 'string') {
        expect(out.handoff.duplicate, where).toBe(true);
        expect(out.handoff.ticketNumber, where).toBe(ticketOf.get(e.duplicateOf));
      }
      if (e.ask) expect(out.ask.map((a: { field: string }) => a.field), `${where}: ${out.reply}`).toEqual(e.ask);
      if (e.state) expect(out.state, where).toBe(e.state);
      if (e.rootCause) expect(out.diagnosis?.rootCause, where).toBe(e.rootCause);
      if (e.redacted !== undefined) expect(out.redacted.length > 0, where).toBe(e.redacted);
      for (const re of e.reply ?? []) expect(out.reply, where).toMatch(re);
      for (const re of e.replyNot ?? []) expect(out.reply, where).not.toMatch(re);
    }
    if (d.neverStored?.length) {
      const stored = JSON.stringify([
        (await t.ctx.db.query('SELECT text, data FROM conversation_messages WHERE conversation_id = $1', [id])).rows,
        (await t.ctx.db.query('SELECT memory FROM conversations WHERE id = $1', [id])).rows,
        (await t.ctx.db.query('SELECT t.template, t.summary, e.data FROM tickets t LEFT JOIN ticket_events e ON e.ticket_id = t.id WHERE t.conversation_id = $1', [id])).rows,
      ]);
      expect(stored).toContain('[REDACTED:');
      for (const secret of d.neverStored) expect(stored, d.name).not.toContain(secret);
    }
  }

  for (const d of DIALOGUES) test(`${d.lang} ${d.name}`, () => run(d), 30_000);
});
