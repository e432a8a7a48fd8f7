// Diagnosis history behind the answer (the write-behind queue itself: test/foundation/batch.test.ts):
// results stored once per tenant and content, cached answers that still carry their own time, and
// no answered diagnosis lost on close.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseToJson, runDiagnosis } from '../../src/app/diagnose-service.js';
import { diagnosisHistory } from '../../src/app/diagnosis-history.js';
import { closeContext, createContext } from '../../src/app/context.js';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/store/index.js';
import { createTenant } from '../../src/store/tenants.js';
import { DB_BACKENDS, openTestDb } from '../helpers/backends.js';
import { startTestApp, type TestApp } from '../helpers/app.js';


describe.each(DB_BACKENDS)('diagnosis history on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ db: backend, env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  });
  afterAll(async () => {
    await t?.close();
  });
  const diagnose = (payload: object, key = t.keys.agent) => t.as(key, { method: 'POST', url: '/v1/diagnose', payload });

  it('a repeated question gets the same answer with its own id and time, and one stored result per tenant', async () => {
    const text = '550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual mailbox table';
    const before = Date.now();
    const a = (await diagnose({ text })).json();
    await new Promise((r) => setTimeout(r, 5));
    const b = (await diagnose({ text })).json();
    const c = (await diagnose({ text }, t.keys.otherAdmin)).json();
    expect(a.id).not.toBe(b.id);
    for (const d of [a, b]) {
      expect(Date.parse(d.ticket.timestamp)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(d.ticket.timestamp)).toBeLessThanOrEqual(Date.now());
    }
    expect(a.ticket.timestamp).not.toBe(b.ticket.timestamp);
    const strip = (d: { id?: string; ticket: object }) => ({ ...d, id: undefined, ticket: { ...d.ticket, timestamp: undefined } });
    expect(strip(b)).toEqual(strip(a));
    expect(strip(c)).toEqual(strip(a));

    // the stored diagnosis reads back as it was answered, time included
    for (const d of [a, b]) {
      const got = await t.as(t.keys.agent, { url: `/v1/diagnoses/${d.id}` });
      expect(got.statusCode).toBe(200);
      expect({ ...got.json().diagnosis, id: d.id }).toEqual(d);
    }
    const shared = await t.ctx.db.query<{ tenant_id: string; n: number }>(
      `SELECT d.tenant_id, count(DISTINCT d.result_hash)::int AS n FROM diagnoses d WHERE d.id = ANY($1::uuid[]) GROUP BY 1 ORDER BY 1`,
      [[a.id, b.id, c.id]],
    );
    expect(shared.rows).toEqual([{ tenant_id: 'acme', n: 1 }, { tenant_id: 'globex', n: 1 }]);
    // another tenant's copy is its own row, and its diagnosis is not found through acme's key
    expect((await t.as(t.keys.agent, { url: `/v1/diagnoses/${c.id}` })).statusCode).toBe(404);
  });

  it('an input is cached from its second asking on (one-off texts do not churn the cache)', async () => {
    const lookups = async () => {
      const values = (await t.ctx.metrics.registry.getSingleMetric('mailmedic_diagnosis_cache_total')?.get())?.values ?? [];
      return Object.fromEntries(values.map((v) => [v.labels.result, v.value]));
    };
    const delta = async (f: () => Promise<unknown>) => {
      const before = await lookups();
      await f();
      const after = await lookups();
      return { hit: (after.hit ?? 0) - (before.hit ?? 0), miss: (after.miss ?? 0) - (before.miss ?? 0) };
    };
    const ask = (text: string) => diagnose({ text });
    expect(await delta(() => ask('554 5.7.1 once: rejected by policy 1'))).toEqual({ hit: 0, miss: 1 });
    expect(await delta(() => ask('554 5.7.1 once: rejected by policy 1'))).toEqual({ hit: 0, miss: 1 }); // seen before: kept now
    expect(await delta(() => ask('554 5.7.1 once: rejected by policy 1'))).toEqual({ hit: 1, miss: 0 });
    // asked by several at about the same time the first time: kept after that (whether they overlapped or not)
    const together = await delta(() => Promise.all([1, 2, 3].map(() => ask('554 5.7.1 together: rejected by policy 2'))));
    expect(together.hit + together.miss).toBe(3);
    expect(await delta(() => ask('554 5.7.1 together: rejected by policy 2'))).toEqual({ hit: 1, miss: 0 });
  });

  it("a bounce's own date stays the ticket's time", async () => {
    const email = [
      'From: MAILER-DAEMON@mx.acme.test', 'To: alice@acme.test', 'Date: Tue, 3 Jun 2025 10:00:00 +0000',
      'Subject: Undelivered Mail Returned to Sender', '', 'This is the mail system at host mx.acme.test.', '',
      '<bob@example.net>: host mx.example.net said: 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown', '',
    ].join('\r\n');
    const a = (await diagnose({ email })).json();
    const b = (await diagnose({ email })).json();
    expect(a.ticket.timestamp).toBe('2025-06-03T10:00:00.000Z');
    expect(b.ticket.timestamp).toBe(a.ticket.timestamp);
    expect((await t.as(t.keys.agent, { url: `/v1/diagnoses/${b.id}` })).json().diagnosis.ticket.timestamp).toBe(a.ticket.timestamp);
  });

  it('the list shows a diagnosis answered a moment ago', async () => {
    const d = (await diagnose({ text: '421 4.7.0 Try again later, closing connection. (EHLO) rate limited' })).json();
    const list = (await t.as(t.keys.agent, { url: '/v1/diagnoses?limit=5' })).json().diagnoses;
    expect(list.map((x: { id: string }) => x.id)).toContain(d.id);
  });

  it('the service hands each caller an answer of its own to change', async () => {
    const text = '552 5.2.2 Mailbox full';
    const a = await runDiagnosis(t.ctx, 'acme', { text }, { source: 'conversation' });
    a.steps.push('changed by the caller');
    a.ticket.mailbox = 'changed@acme.test';
    const b = await runDiagnosis(t.ctx, 'acme', { text }, { source: 'conversation' });
    expect(b.steps).not.toContain('changed by the caller');
    expect(b.ticket.mailbox).toBeNull();
  });

  it('diagnoses answered right before app.close() are in the table after it', async () => {
    const own = await startTestApp({ db: backend, env: { RATE_LIMIT_PER_MINUTE: '100000' } });
    try {
      const texts = Array.from({ length: 120 }, (_, i) => `550 5.7.1 Service unavailable; client host [192.0.2.${i}] blocked using zen.spamhaus.org`);
      const ids = await Promise.all(
        texts.map(async (text) => {
          const r = await own.as(own.keys.agent, { method: 'POST', url: '/v1/diagnose', payload: { text } });
          expect(r.statusCode).toBe(200);
          return r.json().id as string;
        }),
      );
      expect(diagnosisHistory(own.ctx).pending()).toBeGreaterThan(0); // still queued when the app closes
      await own.app.close();
      const stored = await own.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM diagnoses WHERE id = ANY($1::uuid[])', [ids]);
      expect(stored.rows[0]!.n).toBe(ids.length);
    } finally {
      await closeContext(own.ctx);
    }
  });

  it('closeContext stores what the service answered without an app (chat flow, jobs) before the database closes', async () => {
    const db = await openTestDb(backend);
    let storedAtClose = -1;
    const watched = new Proxy(db, {
      get(target, prop, receiver) {
        if (prop === 'close') {
          return async () => {
            storedAtClose = (await target.query<{ n: number }>('SELECT count(*)::int AS n FROM diagnoses')).rows[0]!.n;
            await target.close();
          };
        }
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    }) as Db;
    const ctx = await createContext(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '/nonexistent' }), { db: watched, log: pino({ level: 'silent' }) });
    await createTenant(ctx.db, 'acme');
    const outcomes = await Promise.all(
      ['550 5.1.1 user unknown', '552 5.2.2 mailbox full', '550 5.1.1 user unknown'].map((text) => diagnoseToJson(ctx, 'acme', { text }, { source: 'conversation' })),
    );
    expect(new Set(outcomes.map((o) => o.id)).size).toBe(3);
    await closeContext(ctx);
    expect(storedAtClose).toBe(3);
  });
});
