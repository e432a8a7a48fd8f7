// Hand-over end to end: signed webhooks with retries, the tickets API, agent replies (translated
// with a model), transcripts (txt/json/pdf), the Chatwoot agent bot, and bad input.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setSupportClock } from '../../src/support/clock.js';
import { IDLE_JOB, offerHumanIfIdle } from '../../src/support/idle.js';
import { getConversation } from '../../src/support/store.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { DB_BACKENDS } from '../helpers/backends.js';
import { startFakeChatwoot, type FakeChatwoot } from '../helpers/fake-chatwoot.js';
import { startFakeLlm, promptText, type FakeLlm } from '../helpers/fake-llm.js';

interface Received { headers: IncomingHttpHeaders; body: string }

async function startReceiver(failFirst: number) {
  const received: Received[] = [];
  let calls = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(++calls <= failFirst ? 503 : 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function until<T>(fn: () => Promise<T | undefined | null | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const WED_10_SH = new Date('2026-12-02T02:00:00Z');
let clock = WED_10_SH;
const SECRET = 'a-long-webhook-secret-0123456789';

describe('hand-over', () => {
  let t: TestApp;
  let llm: FakeLlm;
  let chatwoot: FakeChatwoot;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    llm = await startFakeLlm();
    // a model that translates, writes ticket summaries and declines everything else
    llm.setHandler((req) => {
      const p = promptText(req);
      if (p.includes('You translate chat messages')) return { answer: { text: '您好，我们已为您重置了 SMTP 设置，请再试一次。' } };
      if (p.includes('hand-off notes')) return { answer: { summary: '用户无法登录 SMTP（535 5.7.8），已按步骤检查，仍失败。' } };
      return { status: 400 };
    });
    chatwoot = await startFakeChatwoot();
    receiver = await startReceiver(1);
    // PostgreSQL when there is one (starts faster); the dialogue suite covers both backends
    t = await startTestApp({ db: DB_BACKENDS.at(-1)!, env: { PROBE_ALLOWLIST: '127.0.0.1', LLM_BASE_URL: llm.url, LLM_MODEL: 'fake', PUBLIC_BASE_URL: 'https://support.example' } });
    setSupportClock(t.ctx, () => clock);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await Promise.all([llm?.close(), chatwoot?.close(), receiver?.close()]);
  });

  const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown, key?: string) =>
    t.as(key ?? t.keys.agent, { method, url, ...(payload === undefined ? {} : { payload: payload as object }) });

  async function converse(user: object, ...texts: string[]) {
    const id = (await api('POST', '/v1/conversations', { channel: 'web', user })).json().id as string;
    let last: any;
    for (const text of texts) {
      const r = await api('POST', `/v1/conversations/${id}/messages`, { text });
      expect(r.statusCode, r.body).toBe(200);
      last = r.json();
    }
    return { id, last };
  }

  test('signed webhook, retried with the same idempotency key, logged; secret masked in settings', async () => {
    const put = await api('PUT', '/v1/settings/handoff', { webhook: { url: receiver.url, secret: SECRET } }, t.keys.admin);
    expect(put.statusCode, put.body).toBe(200);
    expect((await api('GET', '/v1/settings/handoff', undefined, t.keys.admin)).json()).toEqual({ handoff: { webhook: { url: receiver.url, secret: '***' } } });

    const { id, last } = await converse({ mailbox: 'x1@acme.cn' }, 'Outlook 2016 提示 535 5.7.8 authentication failed，我的密码是 Zz98765!', '转人工');
    const ticketId = last.handoff.ticketId as string;
    const log = await until(async () => {
      const d = (await api('GET', `/v1/tickets/${ticketId}/deliveries`)).json().deliveries;
      return d[0]?.status === 'delivered' ? d : null;
    });
    expect(log[0]).toMatchObject({ event: 'ticket.created', attempts: 2, lastStatus: 200 });
    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received;
    expect(first!.headers['idempotency-key']).toBe(log[0].id);
    expect(second!.headers['idempotency-key']).toBe(log[0].id);
    // the signature covers timestamp + body with the tenant's secret
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(second!.headers['x-mailmedic-signature']));
    expect(m).not.toBeNull();
    expect(createHmac('sha256', SECRET).update(`${m![1]}.${second!.body}`).digest('hex')).toBe(m![2]);
    expect(createHmac('sha256', 'wrong-secret-wrong-secret').update(`${m![1]}.${second!.body}`).digest('hex')).not.toBe(m![2]);
    const payload = JSON.parse(second!.body);
    expect(payload).toMatchObject({ event: 'ticket.created', id: log[0].id, data: {
      ticket: { id: ticketId, number: last.handoff.ticketNumber, kind: 'config', queue: 'config' },
      template: { mailbox: 'x1@acme.cn', client: 'Outlook 2016', errorCode: '535 5.7.8' },
      diagnosis: { rootCause: 'auth_credentials_invalid' },
      transcript: `https://support.example/v1/conversations/${id}/transcript?format=txt`,
    } });
    expect(second!.body).not.toContain('Zz98765!');
  }, 30_000);

  test('tickets API: detail, ordering, LLM summary, patch, agent reply translated into the user language, 404 across tenants', async () => {
    const sec = await converse({ mailbox: 'x2@acme.cn' }, 'I think my account was stolen');
    const cfg = await converse({ mailbox: 'x3@acme.cn' }, '535 5.7.8 authentication failed', 'human');
    const list = (await api('GET', '/v1/tickets?status=open')).json().tickets as { id: string; kind: string }[];
    const kinds = list.map((x) => x.kind);
    expect(kinds.indexOf('security')).toBeLessThan(kinds.indexOf('config'));

    const cfgTicket = cfg.last.handoff.ticketId;
    const detail = await until(async () => {
      const d = (await api('GET', `/v1/tickets/${cfgTicket}`)).json();
      return d.summary.source === 'llm' ? d : null;
    });
    expect(detail.summary.text).toContain('535 5.7.8');
    expect(detail.events.map((e: { kind: string }) => e.kind)).toEqual(['created']);
    expect(detail.template).toMatchObject({ mailbox: 'x3@acme.cn', errorCode: '535 5.7.8' });
    expect(detail.evidence.length).toBeGreaterThan(0);

    const patched = await api('PATCH', `/v1/tickets/${cfgTicket}`, { assignee: 'lin', status: 'pending' });
    expect(patched.json()).toMatchObject({ assignee: 'lin', status: 'pending' });

    // an English reply reaches an English-speaking user unchanged, and a Chinese-speaking one translated
    const reply = await api('POST', `/v1/tickets/${sec.last.handoff.ticketId}/replies`, { text: 'We reset your SMTP settings, please try again.', agent: 'lin' });
    expect(reply.json().delivered[0]).toMatchObject({ language: 'en', translated: false, text: 'We reset your SMTP settings, please try again.' });
    const zhUser = await converse({ mailbox: 'x4@acme.cn' }, '我要转人工');
    const relayed = (await api('POST', `/v1/tickets/${zhUser.last.handoff.ticketId}/replies`, { text: 'We reset your SMTP settings, please try again.', agent: 'lin' })).json();
    expect(relayed.delivered[0]).toMatchObject({ language: 'zh', translated: true, text: '您好，我们已为您重置了 SMTP 设置，请再试一次。' });
    const conv = (await api('GET', `/v1/conversations/${zhUser.id}`)).json();
    expect(conv.messages.at(-1)).toMatchObject({ role: 'agent', text: '您好，我们已为您重置了 SMTP 设置，请再试一次。' });

    for (const url of [`/v1/tickets/${cfgTicket}`, `/v1/conversations/${zhUser.id}`, `/v1/tickets/not-a-uuid`]) {
      expect((await api('GET', url, undefined, t.keys.otherAdmin)).statusCode).toBe(404);
    }
    expect((await api('PATCH', `/v1/tickets/${cfgTicket}`, { status: 'resolved' }, t.keys.otherAdmin)).statusCode).toBe(404);
  }, 30_000);

  test('transcripts: text, JSON and a PDF that embeds the CJK font; secrets stay redacted', async () => {
    const { id } = await converse({ mailbox: 'x5@acme.cn', name: '王芳' }, '我的邮件发不出去，验证码：774411', '用的是 Foxmail 7.2，提示 535 5.7.8 authentication failed');
    const txt = await api('GET', `/v1/conversations/${id}/transcript?format=txt`);
    expect(txt.headers['content-type']).toMatch(/^text\/plain/);
    expect(txt.body).toContain('用户:');
    expect(txt.body).toContain('Foxmail 7.2');
    expect(txt.body).not.toContain('774411');
    const json = (await api('GET', `/v1/conversations/${id}/transcript?format=json`)).json();
    expect(json.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'bot', 'user', 'bot']);
    const pdf = await t.app.inject({ method: 'GET', url: `/v1/conversations/${id}/transcript?format=pdf`, headers: { authorization: `Bearer ${t.keys.agent}` } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.toString('latin1')).toMatch(/WenQuanYi/);
    if (process.env.SUPPORT_PDF_OUT) writeFileSync(process.env.SUPPORT_PDF_OUT, pdf.rawPayload);
    expect((await api('GET', `/v1/conversations/${id}/transcript?format=doc`)).statusCode).toBe(400);
  }, 30_000);

  test('Chatwoot agent bot: answers through the API, hands over by opening the conversation, then stays silent', async () => {
    const put = await api('PUT', '/v1/settings/chatwoot', { baseUrl: chatwoot.url, botToken: chatwoot.token, accountId: chatwoot.accountId }, t.keys.admin);
    expect(put.json()).toEqual({ chatwoot: { baseUrl: chatwoot.url, botToken: '***', accountId: chatwoot.accountId } });
    const event = (content: string, extra: object = {}) => ({
      event: 'message_created', id: Math.floor(Math.random() * 1e6), content, message_type: 'incoming', private: false,
      account: { id: chatwoot.accountId }, conversation: { id: 42, status: 'pending' }, sender: { id: 5, name: 'Li', email: 'li@acme.cn', type: 'contact' }, ...extra,
    });
    const hook = (body: object) => api('POST', '/v1/integrations/chatwoot/webhook', body);

    const r1 = await hook(event('发给客户的邮件被退回，550 5.1.1 user unknown'));
    expect(r1.json()).toMatchObject({ handled: true, replied: true, handedOver: false });
    expect(chatwoot.messages.get(42)?.[0]).toMatch(/建议按以下步骤处理/);
    expect(chatwoot.requests.every((r) => r.token === chatwoot.token)).toBe(true);

    expect((await hook({ ...event('outgoing echo'), message_type: 'outgoing' })).json()).toMatchObject({ handled: false });
    expect((await hook({ event: 'conversation_created' })).json()).toMatchObject({ handled: false });

    const r2 = await hook(event('转人工'));
    expect(r2.json()).toMatchObject({ handled: true, handedOver: true });
    expect(chatwoot.status.get(42)).toBe('open');
    expect(chatwoot.messages.get(42)?.at(-1)).toMatch(/工单号：#\d+/);

    const before = chatwoot.messages.get(42)!.length;
    const r3 = await hook(event('有人吗？', { conversation: { id: 42, status: 'open' } }));
    expect(r3.json()).toMatchObject({ handled: true, replied: false });
    expect(chatwoot.messages.get(42)!.length).toBe(before);

    // the agent puts it back to pending: the bot answers again
    const r4 = await hook(event('554 5.7.1 Relay access denied', { conversation: { id: 42, status: 'pending' } }));
    expect(r4.json()).toMatchObject({ handled: true, replied: true });
    const ticket = (await api('GET', `/v1/tickets/${r2.json().ticketId}`)).json();
    expect(ticket.events.map((e: { kind: string }) => e.kind)).toEqual(['created', 'user_message', 'returned_to_bot']);
  }, 30_000);

  test('concurrent messages to one conversation are all taken, none lost', async () => {
    const { id } = await converse({ mailbox: 'x6@acme.cn' }, 'sending fails with 535 5.7.8 authentication failed');
    const texts = ['Outlook 2019', 'Windows 11', 'at the office', 'it started this morning'];
    const rs = await Promise.all(texts.map((text) => api('POST', `/v1/conversations/${id}/messages`, { text })));
    expect(rs.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    const conv = (await api('GET', `/v1/conversations/${id}`)).json();
    expect(conv.messages.filter((m: { role: string }) => m.role === 'user')).toHaveLength(5);
    expect(conv.messages.filter((m: { role: string }) => m.role === 'bot')).toHaveLength(5);
    expect(conv.template).toMatchObject({ client: 'Outlook 2019', os: 'Windows 11', network: 'office network', timestamp: 'this morning' });
  });

  test('a long log excerpt is read in full: the failure near its start is found', async () => {
    const noise = Array.from({ length: 2000 }, (_, i) => `Dec  2 10:${String(i % 60).padStart(2, '0')}:00 mx postfix/smtpd[9]: connect from unknown[198.51.100.${i % 250}]`).join('\n');
    const log = `Dec  2 10:00:00 mx postfix/smtp[1]: 1A2B: to=<x@partner.com>, relay=mx.partner.com[203.0.113.9]:25, status=bounced (host mx.partner.com said: 552 5.2.2 Mailbox full)\n${noise}`;
    const id = (await api('POST', '/v1/conversations', { channel: 'web', user: { mailbox: 'x7@acme.com' } })).json().id;
    const r = await api('POST', `/v1/conversations/${id}/messages`, { text: 'see the log', attachments: [{ kind: 'log', content: log }] });
    expect(r.json().diagnosis.rootCause).toBe('mailbox_full');
  });

  test('idle offer: a delayed job per conversation offers a person on its own, once', async () => {
    const { id } = await converse({ mailbox: 'x8@acme.cn' }, '发给客户的邮件被退回，550 5.1.1 user unknown');
    const since = (await getConversation(t.ctx.db, 'acme', id))!.memory.since;
    expect((await t.ctx.jobs.get(IDLE_JOB, `idle-${id}-${Date.parse(since)}`))?.state).toBe('delayed');
    const job = { tenantId: 'acme', conversationId: id, since };
    expect(await offerHumanIfIdle(t.ctx, job)).toBe('skipped'); // not idle long enough yet
    clock = new Date(WED_10_SH.getTime() + 181_000);
    try {
      expect(await offerHumanIfIdle(t.ctx, job)).toBe('offered');
      expect(await offerHumanIfIdle(t.ctx, job)).toBe('skipped');
      const conv = (await api('GET', `/v1/conversations/${id}`)).json();
      expect(conv.messages.at(-1)).toMatchObject({ role: 'bot', text: expect.stringMatching(/回复“转人工”或“好的”/) });
      const r = await api('POST', `/v1/conversations/${id}/messages`, { text: '好的' });
      expect(r.json().handoff).toMatchObject({ reason: 'timeout' });
    } finally {
      clock = WED_10_SH;
    }
  });

  test('duplicates merge only while the ticket is open: after it is resolved the same problem opens a new one', async () => {
    const problem = 'Thunderbird says 552 5.2.2 Mailbox full for mail to my partner';
    const first = await converse({ mailbox: 'x9@acme.com' }, problem, 'agent');
    const second = await converse({ mailbox: 'X9@acme.com' }, problem, 'agent');
    expect(second.last.handoff).toMatchObject({ duplicate: true, ticketNumber: first.last.handoff.ticketNumber });
    const events = (await api('GET', `/v1/tickets/${first.last.handoff.ticketId}`)).json().events.map((e: { kind: string }) => e.kind);
    expect(events).toEqual(['created', 'duplicate']);
    await api('PATCH', `/v1/tickets/${first.last.handoff.ticketId}`, { status: 'resolved' });
    const third = await converse({ mailbox: 'x9@acme.com' }, problem, 'agent');
    expect(third.last.handoff.duplicate).toBe(false);
    expect(third.last.handoff.ticketNumber).toBeGreaterThan(first.last.handoff.ticketNumber);
  });

  test('bad input gets clear 4xx answers', async () => {
    const { id } = await converse({}, 'hello');
    expect((await api('POST', `/v1/conversations/${id}/messages`, { text: '   ' })).statusCode).toBe(400);
    expect((await api('POST', `/v1/conversations/${id}/messages`, { text: 'x'.repeat(20_001) })).statusCode).toBe(400);
    expect((await api('POST', '/v1/conversations/00000000-0000-4000-8000-000000000000/messages', { text: 'hi' })).statusCode).toBe(404);
    expect((await api('POST', '/v1/conversations', { channel: 'web', user: { mailbox: 'not-an-address' } })).statusCode).toBe(400);
    expect((await api('PATCH', '/v1/tickets/00000000-0000-4000-8000-000000000000', {})).statusCode).toBe(400);
    expect((await api('PUT', '/v1/settings/support', { timezone: 'Nowhere/City' }, t.keys.admin)).statusCode).toBe(400);
    const unconfigured = await t.as(t.keys.otherAdmin, { method: 'POST', url: '/v1/integrations/chatwoot/webhook', payload: { event: 'message_created', message_type: 'incoming', content: 'hi', conversation: { id: 1 } } });
    expect(unconfigured.statusCode).toBe(409);
  });
});
