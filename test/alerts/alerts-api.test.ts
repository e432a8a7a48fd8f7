import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_BACKENDS } from '../helpers/backends.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { runMailboxForecasts } from '../../src/alerts/run.js';

const DAY = 86_400_000;
const GB = 1024 ** 3;

/** 10 daily samples ending now: growing `perDay` GB from `start` GB. */
function series(mailbox: string, start: number, perDay: number, quotaGb = 10, end = Date.now()) {
  return Array.from({ length: 10 }, (_, i) => ({
    mailbox,
    usedBytes: (start + i * perDay) * GB,
    quotaBytes: quotaGb * GB,
    at: new Date(end - (9 - i) * DAY).toISOString(),
  }));
}

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(DB_BACKENDS)('alerts API on %s', (db) => {
  let t: TestApp;
  let hook: Server;
  let smtp: SMTPServer;
  const webhookCalls: { headers: Record<string, unknown>; body: string }[] = [];
  const mails: string[] = [];
  let failWebhook = 0;

  beforeAll(async () => {
    t = await startTestApp({ db, env: { PROBE_ALLOWLIST: '127.0.0.1' } });
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        webhookCalls.push({ headers: req.headers, body });
        res.statusCode = failWebhook-- > 0 ? 503 : 200;
        res.end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _s, cb) {
        let raw = '';
        stream.on('data', (c) => (raw += c));
        stream.on('end', () => {
          mails.push(raw);
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const settings = await t.as(t.keys.admin, {
      method: 'PUT',
      url: '/v1/settings/alerts',
      payload: {
        thresholdDays: 3,
        webhook: { url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/alerts`, secret: 'a-very-long-test-secret' },
        email: { host: '127.0.0.1', port: (smtp.server.address() as AddressInfo).port, from: 'alerts@example.com', to: ['admin@example.com'] },
      },
    });
    expect(settings.statusCode).toBe(200);
    expect(settings.json().alerts.webhook.secret).toBe('***');
  });
  afterAll(async () => {
    await t.close();
    hook.close();
    await new Promise<void>((r) => smtp.close(() => r()));
  });

  it('stores JSON and CSV samples and forecasts a mailbox', async () => {
    const r = await t.as(t.keys.agent, { method: 'POST', url: '/v1/mailboxes/usage', payload: series('a@acme.test', 5, 0.5) });
    expect(r.statusCode).toBe(202);
    expect(r.json()).toEqual({ mailboxes: 1, samples: 10 });
    const csv = ['mailbox,used_bytes,quota_bytes,at', ...series('b@acme.test', 1, 0.1).map((s) => `${s.mailbox},${s.usedBytes},${s.quotaBytes},${s.at}`)].join('\n');
    const c = await t.as(t.keys.agent, { method: 'POST', url: '/v1/mailboxes/usage', payload: csv, headers: { 'content-type': 'text/csv' } });
    expect(c.statusCode).toBe(202);
    const f = await t.as(t.keys.agent, { url: '/v1/mailboxes/a@acme.test/forecast' });
    expect(f.statusCode).toBe(200);
    expect(f.json()).toMatchObject({ mailbox: 'a@acme.test', method: 'theil-sen', usedPct: 95 });
    expect(f.json().daysToFull).toBeCloseTo(1, 1);
    expect((await t.as(t.keys.agent, { url: '/v1/mailboxes/b@acme.test/forecast' })).json().dailyGrowth).toBeCloseTo(0.1 * GB, -5);
  });

  it('rejects bad samples with clear messages', async () => {
    const bad = await t.as(t.keys.agent, { method: 'POST', url: '/v1/mailboxes/usage', payload: [{ mailbox: 'x', usedBytes: -1, quotaBytes: 1, at: 'yesterday' }] });
    expect(bad.statusCode).toBe(400);
    const csv = await t.as(t.keys.agent, {
      method: 'POST', url: '/v1/mailboxes/usage', headers: { 'content-type': 'text/csv' },
      payload: 'mailbox,usedBytes,quotaBytes,at\nx@y.z,12,100,2026-11-01\nx@y.z,abc,100,2026-11-02\n',
    });
    expect(csv.statusCode).toBe(400);
    expect(csv.json().error.message).toMatch(/line 3/);
    const header = await t.as(t.keys.agent, { method: 'POST', url: '/v1/mailboxes/usage', headers: { 'content-type': 'text/csv' }, payload: 'who,what\n1,2' });
    expect(header.json().error.message).toMatch(/lacks mailbox/);
    const many = Array.from({ length: 10_001 }, (_, i) => ({ mailbox: `m${i}`, usedBytes: 1, quotaBytes: 2, at: '2026-11-01T00:00:00Z' }));
    expect((await t.as(t.keys.agent, { method: 'POST', url: '/v1/mailboxes/usage', payload: many })).statusCode).toBe(413);
  });

  it("another tenant cannot see this tenant's mailboxes", async () => {
    expect((await t.as(t.keys.otherAdmin, { url: '/v1/mailboxes/a@acme.test/forecast' })).statusCode).toBe(404);
  });

  it('raises exactly one alert per crossing, however often the run repeats, and delivers it signed', async () => {
    failWebhook = 1; // the first webhook attempt fails: the queue retries
    for (let i = 0; i < 3; i++) await runMailboxForecasts(t.ctx, 'acme');
    await Promise.all([
      t.as(t.keys.admin, { method: 'POST', url: '/v1/alerts/run' }),
      t.as(t.keys.admin, { method: 'POST', url: '/v1/alerts/run' }),
    ]);
    type Listed = { id: string; message: { zh: string; en: string }; deliveries: { status: string }[] };
    const list = await until(
      async (): Promise<Listed[]> => (await t.as(t.keys.agent, { url: '/v1/alerts?status=open' })).json().alerts,
      (a) => a.length === 1 && a[0]!.deliveries.every((d) => d.status === 'delivered'),
      20_000,
    );
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: 'mailbox_quota', subject: 'a@acme.test', episode: 1 });
    expect(list[0]!.message.zh).toMatch(/预计将在 1 天内用尽/);
    expect(list[0]!.message.en).toMatch(/full in about 1 day/);

    const delivered = webhookCalls.filter((c) => c.headers['idempotency-key'] === list[0]!.id);
    expect(delivered.length).toBe(2); // one failed attempt, one success — same idempotency key
    const sig = String(delivered[1]!.headers['x-mailmedic-signature']);
    const [, ts, mac] = /^t=(\d+),v1=([0-9a-f]+)$/.exec(sig)!;
    expect(mac).toBe(createHmac('sha256', 'a-very-long-test-secret').update(`${ts}.${delivered[1]!.body}`).digest('hex'));
    expect(mails.filter((m) => new RegExp(`^X-MailMedic-Alert-Id: ${list[0]!.id}`, 'im').test(m))).toHaveLength(1);
  });

  it('a recovered mailbox can alert again later, with the next episode', async () => {
    // quota raised: no longer full soon → the alert resolves
    await t.as(t.keys.agent, { method: 'POST', url: '/v1/mailboxes/usage', payload: [{ mailbox: 'a@acme.test', usedBytes: 9.5 * GB, quotaBytes: 100 * GB, at: new Date().toISOString() }] });
    await runMailboxForecasts(t.ctx, 'acme');
    expect((await t.as(t.keys.agent, { url: '/v1/alerts?status=resolved' })).json().alerts).toHaveLength(1);
    // quota back down: a new crossing
    await t.as(t.keys.agent, { method: 'POST', url: '/v1/mailboxes/usage', payload: [{ mailbox: 'a@acme.test', usedBytes: 9.6 * GB, quotaBytes: 10 * GB, at: new Date(Date.now() + 1000).toISOString() }] });
    await runMailboxForecasts(t.ctx, 'acme');
    await runMailboxForecasts(t.ctx, 'acme');
    const open = (await t.as(t.keys.agent, { url: '/v1/alerts?status=open' })).json().alerts;
    expect(open).toHaveLength(1);
    expect(open[0].episode).toBe(2);
  });

  it('acknowledges alerts; other tenants get 404', async () => {
    const [alert] = (await t.as(t.keys.agent, { url: '/v1/alerts?status=open' })).json().alerts;
    expect((await t.as(t.keys.otherAdmin, { method: 'POST', url: `/v1/alerts/${alert.id}/ack` })).statusCode).toBe(404);
    const acked = await t.as(t.keys.agent, { method: 'POST', url: `/v1/alerts/${alert.id}/ack` });
    expect(acked.json()).toMatchObject({ status: 'acked' });
    expect((await t.as(t.keys.otherAdmin, { url: '/v1/alerts' })).json().alerts).toHaveLength(0);
  });

  it('refuses settings that would be unsafe or wrong', async () => {
    const r = await t.as(t.keys.admin, { method: 'PUT', url: '/v1/settings/alerts', payload: { webhook: { url: 'not a url', secret: 'short' } } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toMatch(/webhook/);
    expect((await t.as(t.keys.agent, { url: '/v1/settings/alerts' })).statusCode).toBe(403);
  });
});
