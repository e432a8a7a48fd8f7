// /v1/log-analyses through the whole app (PGlite, in-process jobs): upload, job, report, events,
// reuse by content hash, cancellation, limits and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { generatePostfixLog } from '../../scripts/lib/postfix-loggen.js';
import { startAnalysis } from '../../src/logs/service.js';
import { analyzeFiles } from '../../src/logs/analyze.js';

const FIXTURE = readFileSync(join(import.meta.dirname, '..', 'logs', 'fixtures', 'postfix-small.txt'));
let t: TestApp;
const spool = mkdtempSync(join(tmpdir(), 'mailmedic-spool-'));

beforeAll(async () => {
  t = await startTestApp({ env: { LOG_UPLOAD_MAX_BYTES: String(40 * 1024 * 1024), RATE_LIMIT_PER_MINUTE: '100000', LOG_SPOOL_DIR: spool } });
});
afterAll(async () => {
  await t?.close();
  rmSync(spool, { recursive: true, force: true });
});

function multipart(content: Buffer, filename = 'mail.log'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----mailmedic' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, content, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const upload = (key: string, content: Buffer, query = '') => t.as(key, { method: 'POST', url: `/v1/log-analyses${query}`, ...multipart(content) });

async function waitDone(id: string, key = t.keys.admin): Promise<Record<string, any>> {
  for (let i = 0; i < 600; i++) {
    const r = await t.as(key, { method: 'GET', url: `/v1/log-analyses/${id}` });
    const body = r.json();
    if (!['queued', 'running'].includes(body.status)) return body;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('analysis did not finish');
}

describe('/v1/log-analyses', () => {
  it('analyses an upload as a job and pages its deliveries', async () => {
    const r = await upload(t.keys.admin, FIXTURE, '?format=postfix');
    expect(r.statusCode).toBe(202);
    const { id, reused } = r.json();
    expect(reused).toBe(false);
    const a = await waitDone(id);
    expect(a.status).toBe('done');
    expect(a.report.totals).toMatchObject({ received: 3, delivered: 3, deferred: 1, deferrals: 2, bounced: 1, rejected: 1 });
    expect(a.progress.lines).toBe(28);

    const page1 = (await t.as(t.keys.admin, { method: 'GET', url: `/v1/log-analyses/${id}/events?limit=2` })).json();
    expect(page1.events).toHaveLength(2);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = (await t.as(t.keys.admin, { method: 'GET', url: `/v1/log-analyses/${id}/events?limit=10&cursor=${page1.nextCursor}` })).json();
    expect(page1.events.length + page2.events.length).toBe(6); // 3 sent, 2 deferred, 1 bounced
    const bounced = (await t.as(t.keys.admin, { method: 'GET', url: `/v1/log-analyses/${id}/events?status=bounced` })).json();
    expect(bounced.events).toEqual([expect.objectContaining({ recipient: 'nobody@example.org', rootCause: 'recipient_unknown', dsn: '5.1.1' })]);
    const byCause = (await t.as(t.keys.admin, { method: 'GET', url: `/v1/log-analyses/${id}/events?rootCause=bad_reputation&domain=yahoo.com` })).json();
    expect(byCause.events).toHaveLength(2);

    // the same bytes again: recognised, report reused
    const again = await upload(t.keys.admin, FIXTURE, '?format=postfix');
    expect(again.json()).toEqual({ id, reused: true });

    // tenants and roles
    expect((await t.as(t.keys.otherAdmin, { method: 'GET', url: `/v1/log-analyses/${id}` })).statusCode).toBe(404);
    expect((await t.as(t.keys.otherAdmin, { method: 'GET', url: `/v1/log-analyses/${id}/events` })).statusCode).toBe(404);
    expect((await t.as(t.keys.agent, { method: 'GET', url: `/v1/log-analyses/${id}` })).statusCode).toBe(403);
    expect((await upload(t.keys.agent, FIXTURE)).statusCode).toBe(403);
  });

  it('stores every delivery of a log that takes many batches, in order, with the totals of the report', async () => {
    const { text } = generatePostfixLog({ lines: 60_000, seed: 11 });
    const { id } = (await upload(t.keys.admin, Buffer.from(text))).json();
    const a = await waitDone(id);
    expect(a.status).toBe('done');
    const tot = a.report.totals;
    const rows = await t.ctx.db.query<{ n: number; lo: number; hi: number; sent: number; deferred: number; bounced: number }>(
      `SELECT count(*)::int AS n, min(seq)::int AS lo, max(seq)::int AS hi,
              count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status = 'deferred')::int AS deferred,
              count(*) FILTER (WHERE status = 'bounced')::int AS bounced
       FROM log_events WHERE analysis_id = $1`, [id]);
    const r = rows.rows[0]!;
    expect(r.n).toBeGreaterThan(4_000); // more than two batches, so writes overlapped the parsing
    expect([r.lo, r.hi]).toEqual([0, r.n - 1]); // no gap, no duplicate
    expect({ sent: r.sent, deferred: r.deferred, bounced: r.bounced }).toEqual({ sent: tot.delivered, deferred: tot.deferrals, bounced: tot.bounced });
    // in the order the analyzer emitted them, across batch boundaries
    const dir = mkdtempSync(join(tmpdir(), 'mailmedic-batches-'));
    const emitted: string[] = [];
    try {
      writeFileSync(join(dir, 'mail.log'), text);
      await analyzeFiles([join(dir, 'mail.log')], { onDelivery: (e) => emitted.push(`${e.status} ${e.recipient}`) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const stored = await t.ctx.db.query<{ k: string }>(`SELECT status || ' ' || recipient AS k FROM log_events WHERE analysis_id = $1 ORDER BY seq`, [id]);
    expect(stored.rows.map((x) => x.k)).toEqual(emitted);
  });

  it('accepts gzip and reports bad input as a failed analysis with a clear message', async () => {
    const gz = await upload(t.keys.admin, gzipSync(FIXTURE));
    const ok = await waitDone(gz.json().id);
    expect(ok.status).toBe('done');
    expect(ok.report.totals.delivered).toBe(3);

    const bin = Buffer.alloc(10_000);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 131) % 256;
    const bad = await upload(t.keys.admin, bin);
    expect(bad.statusCode).toBe(202);
    const failed = await waitDone(bad.json().id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/binary/);
  });

  it('refuses uploads that are too large, empty or not multipart', async () => {
    const big = Buffer.alloc(41 * 1024 * 1024, 'a');
    const r = await upload(t.keys.admin, big);
    expect(r.statusCode).toBe(413);
    expect(r.json().error.code).toBe('payload_too_large');
    expect((await upload(t.keys.admin, Buffer.alloc(0))).statusCode).toBe(400);
    const plain = await t.as(t.keys.admin, { method: 'POST', url: '/v1/log-analyses', payload: 'x', headers: { 'content-type': 'text/plain' } });
    expect(plain.statusCode).toBe(415);
    expect((await t.as(t.keys.admin, { method: 'GET', url: '/v1/log-analyses/not-a-uuid' })).statusCode).toBe(400);
  });

  it('spools uploads in LOG_SPOOL_DIR and says so plainly when a worker cannot find the file there', async () => {
    const done = await waitDone((await upload(t.keys.admin, Buffer.concat([FIXTURE, Buffer.from('\n')]))).json().id);
    expect(done.status).toBe('done');
    // the job removes its file right after it stores the report
    for (let i = 0; i < 100 && readdirSync(spool).length > 0; i++) await new Promise((res) => setTimeout(res, 20));
    expect(readdirSync(spool)).toEqual([]);
    // as when a worker on another host does not share the directory
    const tenant = (await t.ctx.db.query<{ id: string }>(`SELECT id FROM tenants WHERE name = 'acme'`)).rows[0]!.id;
    const { id } = await startAnalysis(t.ctx, tenant, { path: join(spool, 'not-here'), sha256: 'f'.repeat(64), bytes: 10 }, 'mail.log', 'auto');
    const failed = await waitDone(id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/LOG_SPOOL_DIR/);
  });

  it('cancels a running analysis and keeps nothing partial', async () => {
    const { text } = generatePostfixLog({ lines: 150_000, seed: 3 });
    const r = await upload(t.keys.admin, Buffer.from(text));
    const { id } = r.json();
    // wait until it runs, then cancel
    for (let i = 0; i < 200; i++) {
      const s = (await t.as(t.keys.admin, { method: 'GET', url: `/v1/log-analyses/${id}` })).json();
      if (s.status === 'running') break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const del = await t.as(t.keys.admin, { method: 'DELETE', url: `/v1/log-analyses/${id}` });
    expect(del.json()).toEqual({ id, result: 'cancelled' });
    const end = await waitDone(id);
    expect(end.status).toBe('cancelled');
    expect(end.report).toBeNull();
    await new Promise((res) => setTimeout(res, 300)); // the job notices the abort between chunks
    const ev = (await t.as(t.keys.admin, { method: 'GET', url: `/v1/log-analyses/${id}/events` })).json();
    expect(ev.events).toEqual([]);
  });
});

describe('/v1/log-analyses with an LLM', () => {
  it('adds a narrative to incidents from the log-incident-rca prompt', async () => {
    const { startFakeLlm, promptText } = await import('../helpers/fake-llm.js');
    const fake = await startFakeLlm();
    fake.setHandler(() => ({ answer: { narrative: 'Gmail refuses mail from this domain: fix DMARC alignment.' } }));
    const t2 = await startTestApp({ env: { LLM_BASE_URL: fake.url, LLM_MODEL: 'fake-model', LLM_API_KEY: 'sk-test-key-not-a-secret-0000', RATE_LIMIT_PER_MINUTE: '100000' } });
    try {
      const { text } = generatePostfixLog({ lines: 20_000, seed: 7 });
      const r = await t2.as(t2.keys.admin, { method: 'POST', url: '/v1/log-analyses', ...multipart(Buffer.from(text)) });
      let a: Record<string, any> = {};
      for (let i = 0; i < 600; i++) {
        a = (await t2.as(t2.keys.admin, { method: 'GET', url: `/v1/log-analyses/${r.json().id}` })).json();
        if (a.status !== 'queued' && a.status !== 'running') break;
        await new Promise((res) => setTimeout(res, 50));
      }
      expect(a.status).toBe('done');
      expect(a.report.incidents.length).toBeGreaterThan(0);
      expect(a.report.incidents[0].narrative).toBe('Gmail refuses mail from this domain: fix DMARC alignment.');
      expect(fake.requests.length).toBe(Math.min(5, a.report.incidents.length));
      expect(promptText(fake.requests[0]!)).toContain(a.report.incidents[0].headline);
    } finally {
      await t2.close();
      await fake.close();
    }
  }, 120_000);
});
