// Exactly once under failure: a real `mailmedic worker` process (PostgreSQL + Redis) is killed in
// the middle of a forecast run, and in a second test the Redis it uses is killed and restarted
// (losing all its data). Afterwards every mailbox that should alert has exactly one alert.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forecast } from '../../src/alerts/forecast.js';
import { FORECAST_JOB } from '../../src/alerts/jobs.js';
import { mailboxCondition } from '../../src/alerts/run.js';
import { packSamples } from '../../src/alerts/usage.js';
import { createBullmqQueue } from '../../src/jobs/index.js';
import { migrate } from '../../src/store/index.js';
import { openPostgres } from '../../src/store/postgres.js';
import { createTenant } from '../../src/store/tenants.js';
import { rng, synthesize } from '../../scripts/lib/usage-series.js';
import { postgresAvailable, redisAvailable, TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/backends.js';

const MAILBOXES = 40_000;
const DAY = 86_400_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe.skipIf(!postgresAvailable || !redisAvailable)('alerts survive crashes (PostgreSQL + Redis + worker process)', () => {
  const schema = `t_crash_${randomBytes(4).toString('hex')}`;
  const dbUrl = `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  let db: Awaited<ReturnType<typeof openPostgres>>;
  let expected: Set<string>;
  const children: ChildProcess[] = [];

  const startWorker = (redisUrl: string, prefix: string) => {
    const w = spawn(process.execPath, ['bin/mailmedic.js', 'worker'], {
      env: { PATH: process.env.PATH, DATABASE_URL: dbUrl, REDIS_URL: redisUrl, REDIS_PREFIX: prefix, LOG_LEVEL: 'error', FORECAST_THRESHOLD_DAYS: '3' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(w);
    return new Promise<ChildProcess>((resolve, reject) => {
      w.stdout!.on('data', (d: Buffer) => d.toString().includes('worker started') && resolve(w));
      w.on('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    });
  };
  // A graceful stop must finish within 30 s; the test fails rather than hangs if it does not.
  const stop = async (w: ChildProcess, signal: NodeJS.Signals) => {
    if (w.exitCode !== null || w.signalCode !== null) return;
    const exited = new Promise((r) => w.once('exit', r));
    w.kill(signal);
    const timer = setTimeout(() => w.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
    if (signal === 'SIGTERM') expect(w.exitCode).toBe(0);
  };
  const alertCount = async () =>
    (await db.query<{ n: number; distinct: number }>(`SELECT count(*)::int AS n, count(DISTINCT subject)::int AS distinct FROM alerts WHERE tenant_id = 'acme'`)).rows[0]!;
  const openSubjects = async () =>
    new Set((await db.query<{ subject: string }>(`SELECT subject FROM alerts WHERE tenant_id = 'acme' AND status = 'open'`)).rows.map((r) => r.subject));

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    db = await openPostgres(dbUrl, 2);
    await migrate(db);
    await createTenant(db, 'acme');
    // Mailboxes with known futures; which ones must alert is computed here with the same rule.
    const now = Date.now();
    const r = rng(99);
    expected = new Set();
    for (let start = 0; start < MAILBOXES; start += 5000) {
      const names: string[] = [];
      const quotas: number[] = [];
      const packed: string[] = [];
      for (let i = start; i < start + 5000; i++) {
        const m = synthesize((['linear', 'noisy', 'deletions', 'weekly'] as const)[i % 4]!, r, now - DAY / 2);
        const name = `u${String(i).padStart(6, '0')}@acme.test`;
        names.push(name);
        quotas.push(m.quotaBytes);
        packed.push(packSamples(m.at.map((t, k) => [t, m.used[k]!] as [number, number])).toString('hex'));
        if (mailboxCondition(forecast({ at: m.at, used: m.used, quotaBytes: m.quotaBytes }, { now }), 3) === 'alert') expected.add(name);
      }
      await db.query(
        `INSERT INTO mailbox_usage (tenant_id, mailbox, quota_bytes, samples, last_at)
         SELECT 'acme', m, q, decode(s, 'hex'), now() FROM unnest($1::text[], $2::float8[], $3::text[]) AS x(m, q, s)`,
        [names, quotas, packed],
      );
    }
    expect(expected.size).toBeGreaterThan(1000);
  }, 180_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await db?.close();
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('a worker killed mid-run leaves no duplicate, and the next run misses nothing', async () => {
    const prefix = `mmcrash_${randomBytes(3).toString('hex')}`;
    const queue = await createBullmqQueue(TEST_REDIS_URL, prefix);
    try {
      const w1 = await startWorker(TEST_REDIS_URL, prefix);
      await queue.enqueue(FORECAST_JOB, { tenantId: 'acme' });
      // wait until some (not all) alerts are stored, then kill -9
      let atKill = 0;
      for (let i = 0; i < 2000; i++) {
        atKill = (await alertCount()).n;
        if (atKill > 0) break;
        await sleep(10);
      }
      await stop(w1, 'SIGKILL');
      expect(atKill).toBeGreaterThan(0);
      expect((await alertCount()).n).toBeLessThan(expected.size); // it really died mid-run

      // the next scheduled run (here: enqueued by hand) on a fresh worker
      await startWorker(TEST_REDIS_URL, prefix);
      const id = await queue.enqueue(FORECAST_JOB, { tenantId: 'acme' });
      for (let i = 0; i < 1200; i++) {
        const info = await queue.get(FORECAST_JOB, id);
        if (info?.state === 'completed' || info?.state === 'failed') break;
        await sleep(100);
      }
      expect((await queue.get(FORECAST_JOB, id))?.state).toBe('completed');
      const counts = await alertCount();
      expect(counts.n).toBe(counts.distinct); // no duplicate
      expect(await openSubjects()).toEqual(expected); // none missed, none extra
    } finally {
      await queue.close(1000);
      for (const c of children) await stop(c, 'SIGTERM');
    }
  }, 300_000);

  it('Redis killed and restarted empty mid-run: no duplicate, none missed, schedules restored', async () => {
    await db.query(`DELETE FROM alerts; DELETE FROM alert_states;`.split(';')[0]!);
    await db.query('DELETE FROM alert_states');
    const port = await freePort();
    const redisUrl = `redis://127.0.0.1:${port}`;
    const startRedis = () => {
      const r = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      children.push(r);
      return r;
    };
    let redis = startRedis();
    await sleep(300);
    const prefix = 'mmcrash';
    const queue = await createBullmqQueue(redisUrl, prefix);
    try {
      const w = await startWorker(redisUrl, prefix); // creates the tenant's schedules at start
      await queue.enqueue(FORECAST_JOB, { tenantId: 'acme' });
      for (let i = 0; i < 2000 && (await alertCount()).n === 0; i++) await sleep(10);
      await stop(redis, 'SIGKILL'); // all queue data is gone
      await sleep(500);
      redis = startRedis();
      // the worker reconnects and restores the schedules it created
      const raw = new (await import('ioredis')).Redis(redisUrl);
      let schedulers = 0;
      for (let i = 0; i < 300 && schedulers === 0; i++) {
        await sleep(100);
        schedulers = (await raw.keys(`${prefix}:alerts.forecast:repeat*`).catch(() => [])).length;
      }
      raw.disconnect();
      expect(schedulers).toBeGreaterThan(0);
      // the run that was cut off finishes on its own (its database work does not need Redis) or not;
      // the next run completes whatever is left
      const id = await queue.enqueue(FORECAST_JOB, { tenantId: 'acme' });
      for (let i = 0; i < 1200; i++) {
        const info = await queue.get(FORECAST_JOB, id).catch(() => null);
        if (info?.state === 'completed' || info?.state === 'failed') break;
        await sleep(100);
      }
      expect((await queue.get(FORECAST_JOB, id))?.state).toBe('completed');
      await sleep(500);
      const counts = await alertCount();
      expect(counts.n).toBe(counts.distinct);
      expect(await openSubjects()).toEqual(expected);
      await stop(w, 'SIGTERM');
    } finally {
      await queue.close(1000);
      await stop(redis, 'SIGKILL');
    }
  }, 300_000);
});
