// POST /v1/diagnose through the whole app: engine, knowledge references, domain evidence, storage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DiagnosisSchema } from '../../src/core/diagnosis.js';
import { syncKnowledge } from '../../src/knowledge/index.js';
import { diagnosisHistory } from '../../src/app/diagnosis-history.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { type FixtureDnsServer, startDnsServer } from '../dns/helpers/dns-server.js';
import { fixtureZone, GOOD_IP, UNLISTED_SPF_IP } from '../dns/helpers/zones.js';

let t: TestApp;
let dns: FixtureDnsServer;

beforeAll(async () => {
  dns = await startDnsServer(fixtureZone());
  t = await startTestApp({ env: { DNS_SERVERS: dns.server, DNS_TIMEOUT_MS: '1000', RATE_LIMIT_PER_MINUTE: '1000' } });
  await syncKnowledge(t.ctx);
});
afterAll(async () => {
  await t?.close();
  await dns?.close();
});

const diagnose = (payload: unknown, key = t.keys.agent) => t.as(key, { method: 'POST', url: '/v1/diagnose', payload: payload as object });

const BOUNCE = [
  'From: MAILER-DAEMON@mx.acme.test',
  'To: alice@acme.test',
  'Subject: Undelivered Mail Returned to Sender',
  'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain',
  '',
  'I could not deliver your message.',
  '--b1',
  'Content-Type: message/delivery-status',
  '',
  'Reporting-MTA: dns; mx.acme.test',
  '',
  'Final-Recipient: rfc822; bob@example.net',
  'Action: failed',
  'Status: 5.2.2',
  'Diagnostic-Code: smtp; 552 5.2.2 Mailbox full: quota exceeded',
  '--b1--',
  '',
].join('\r\n');

describe('POST /v1/diagnose', () => {
  it('answers an English SMTP error with root cause, steps, evidence, references and ticket', async () => {
    const r = await diagnose({ text: '550 5.7.1 Client was not authenticated', context: { mailbox: 'alice@acme.test' } });
    expect(r.statusCode).toBe(200);
    const d = r.json();
    expect(d).toMatchObject({ rootCause: 'sender_not_authenticated', category: 'config', language: 'en' });
    expect(d.smtp).toMatchObject({ replyCode: '550', enhancedStatus: '5.7.1' });
    expect(d.steps.length).toBeGreaterThan(1);
    expect(d.evidence.some((e: { text: string }) => e.text.includes('Client was not authenticated'))).toBe(true);
    // the text is Microsoft's wording: its provider article comes first, the general one follows
    expect(d.provider).toBe('microsoft');
    expect(d.references.map((r: { articleId: string }) => r.articleId)).toEqual(
      expect.arrayContaining(['prov-microsoft365-smtp-auth', 'rc-sender-not-authenticated']),
    );
    expect(d.references.every((r: { lang: string }) => r.lang === 'en')).toBe(true);
    expect(d.ticket.mailbox).toBe('alice@acme.test');
    expect(d.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(d.llm).toMatchObject({ status: 'skipped' });
    // the route serializes without re-validating: its answers must still match the documented schema
    expect(() => DiagnosisSchema.extend({ id: z.string() }).parse(d)).not.toThrow();
  });

  it('answers Chinese in Chinese, with Chinese references', async () => {
    const d = (await diagnose({ text: '我的邮件发送失败，错误代码550，提示 5.1.1 用户不存在' })).json();
    expect(d.language).toBe('zh');
    expect(d.rootCause).toBe('recipient_unknown');
    expect(d.summary).toMatch(/[\u4e00-\u9fff]/);
    expect(d.references[0].lang).toBe('zh');
  });

  it('reads a raw bounce e-mail, as JSON or as message/rfc822', async () => {
    const a = (await diagnose({ email: BOUNCE })).json();
    expect(a.rootCause).toBe('mailbox_full');
    expect(a.recipients).toEqual([expect.objectContaining({ recipient: 'bob@example.net', rootCause: 'mailbox_full' })]);
    expect(() => DiagnosisSchema.extend({ id: z.string() }).parse(a)).not.toThrow();
    const b = await t.as(t.keys.agent, { method: 'POST', url: '/v1/diagnose', payload: BOUNCE, headers: { 'content-type': 'message/rfc822' } });
    expect(b.statusCode).toBe(200);
    expect(b.json().rootCause).toBe('mailbox_full');
  });

  it('escalates security events with high priority and unknown text as low confidence', async () => {
    const sec = (await diagnose({ text: '554 5.7.1 Message rejected: virus found in attachment (Eicar-Test-Signature)' })).json();
    expect(sec.category).toBe('security');
    expect(sec.escalate).toMatchObject({ needed: true, priority: 'high' });
    const unk = (await diagnose({ text: 'my email is weird today' })).json();
    expect(unk.rootCause).toBe('unknown');
    expect(unk.escalate).toMatchObject({ needed: true, reason: 'low_confidence' });
  });

  it('uses domain checks as evidence: a 5.7.26 bounce + SPF lacking the sending IP → spf_failure', async () => {
    const text = '550 5.7.26 Unauthenticated email from good.test is not accepted due to domain\'s DMARC policy.';
    const without = (await diagnose({ text })).json();
    expect(without.rootCause).toBe('dmarc_failure');
    const d = (await diagnose({ text, context: { domain: 'good.test', sendingIp: UNLISTED_SPF_IP } })).json();
    expect(d.rootCause).toBe('spf_failure');
    expect(d.evidence.some((e: { source: string }) => e.source === 'dns:spf')).toBe(true);
    expect(d.evidence.some((e: { text: string }) => e.text.includes('5.7.26'))).toBe(true);
    expect(d.alternatives[0].rootCause).toBe('dmarc_failure');
    // with an IP the SPF record does list, DMARC stays the answer
    const ok = (await diagnose({ text, context: { domain: 'good.test', sendingIp: GOOD_IP } })).json();
    expect(ok.rootCause).not.toBe('spf_failure');
  });

  it('stores each diagnosis per tenant; other tenants get 404', async () => {
    const d = (await diagnose({ text: '452 4.2.2 Mailbox full' })).json();
    const mine = await t.as(t.keys.agent, { url: `/v1/diagnoses/${d.id}` });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().diagnosis.rootCause).toBe('mailbox_full');
    expect((await t.as(t.keys.otherAdmin, { url: `/v1/diagnoses/${d.id}` })).statusCode).toBe(404);
    const list = (await t.as(t.keys.agent, { url: '/v1/diagnoses?rootCause=mailbox_full' })).json().diagnoses;
    expect(list.length).toBeGreaterThan(0);
  });

  it('never stores a password the user pasted', async () => {
    const d = (await diagnose({ text: '535 5.7.8 authentication failed, my password is Hunter2!Secret' })).json();
    await diagnosisHistory(t.ctx).flush();
    const row = await t.ctx.db.query<{ s: string }>(
      `SELECT d.input::text || r.result::text AS s FROM diagnoses d JOIN diagnosis_results r ON r.tenant_id = d.tenant_id AND r.hash = d.result_hash WHERE d.id = $1`,
      [d.id],
    );
    expect(row.rows[0]!.s).toContain('535');
    expect(row.rows[0]!.s).not.toContain('Hunter2!Secret');
    expect(JSON.stringify(d)).not.toContain('Hunter2!Secret');
  });

  describe('bad input', () => {
    it('empty body, empty text and wrong types are a 400 with a clear message', async () => {
      const empty = await diagnose({});
      expect(empty.statusCode).toBe(400);
      expect(empty.json().error.message).toMatch(/nothing to diagnose/);
      expect((await diagnose({ text: '   ' })).statusCode).toBe(400);
      expect((await diagnose({ text: 42 })).statusCode).toBe(400);
      expect((await diagnose({ text: 'x', locale: 'fr' })).json().error.details[0].path).toBe('body.locale');
      const none = await t.as(t.keys.agent, { method: 'POST', url: '/v1/diagnose' });
      expect(none.statusCode).toBe(400);
    });

    it('1 MB of text answers (unknown or not) without a 500; over 1 MiB characters is a 400', async () => {
      const big = await diagnose({ text: `550 5.1.1 user unknown ${'lorem ipsum '.repeat(87_000)}` });
      expect(big.statusCode).toBe(200);
      const tooBig = await diagnose({ text: 'x'.repeat(1024 * 1024 + 1) });
      expect(tooBig.statusCode).toBe(400);
      expect(tooBig.json().error.message).toMatch(/limited to/);
    });

    it('binary and invalid UTF-8 give an unknown diagnosis that asks for a human', async () => {
      const bin = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256));
      const r = await t.as(t.keys.agent, { method: 'POST', url: '/v1/diagnose', payload: bin, headers: { 'content-type': 'text/plain' } });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ rootCause: 'unknown', escalate: { needed: true } });
      const eml = await t.as(t.keys.agent, { method: 'POST', url: '/v1/diagnose', payload: bin, headers: { 'content-type': 'message/rfc822' } });
      expect(eml.statusCode).toBe(200);
      expect(eml.json().rootCause).toBe('unknown');
    });

    it('a non-bounce e-mail is recognised as such', async () => {
      const r = await diagnose({ email: 'From: a@b.test\r\nTo: c@d.test\r\nSubject: lunch?\r\n\r\nShall we meet at noon?\r\n' });
      expect(r.statusCode).toBe(200);
      expect(r.json().rootCause).toBe('unknown');
      expect(r.json().evidence.some((e: { note?: string }) => /not a bounce/.test(e.note ?? ''))).toBe(true);
    });

    it('a 50 MB e-mail is refused with 413 and a clear message', async () => {
      const huge = `From: a@b.test\r\n\r\n${'A'.repeat(50 * 1024 * 1024)}`;
      const r = await t.as(t.keys.agent, { method: 'POST', url: '/v1/diagnose', payload: huge, headers: { 'content-type': 'message/rfc822' } });
      expect(r.statusCode).toBe(413);
      expect(r.json().error.code).toBe('payload_too_large');
    });

    it('needs a key', async () => {
      expect((await t.app.inject({ method: 'POST', url: '/v1/diagnose', payload: { text: '550' } })).statusCode).toBe(401);
    });
  });
});
