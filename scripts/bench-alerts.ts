// npm run bench:alerts — one tenant with 1,000,000 mailboxes × 30 daily samples on PostgreSQL;
// times the scheduled forecast run (target ≤ 60 s). MAILBOXES=… changes the size.
// PostgreSQL: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), in a schema of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import { createContext, closeContext } from '../src/app/context.js';
import { createBullmqQueue, createInProcessQueue } from '../src/jobs/index.js';
import { FORECAST_JOB, FORECAST_SHARD_JOB } from '../src/alerts/jobs.js';
import { openPostgres } from '../src/store/postgres.js';
import { createTenant } from '../src/store/tenants.js';
import { runMailboxForecasts } from '../src/alerts/run.js';
import { packSamples } from '../src/alerts/usage.js';
import { rng, synthesize, type Shape } from './lib/usage-series.js';

const URL_ = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const WORKERS = Number(process.env.WORKERS ?? 2);
const MAILBOXES = Number(process.env.MAILBOXES ?? 1_000_000);
const BATCH = 5000;
const DAY = 86_400_000;
const now = Date.UTC(2026, 10, 30, 6);

const schema = `bench_alerts_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: URL_ });
await admin.connect();
await admin.query(`CREATE SCHEMA ${schema}`);
const url = `${URL_}${URL_.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
const db = await openPostgres(url, 4);
const ctx = await createContext(loadConfig({ LOG_LEVEL: 'silent', FORECAST_THRESHOLD_DAYS: '3' }), {
  db,
  jobs: createInProcessQueue(),
  log: pino({ level: 'silent' }),
});

try {
  await createTenant(db, 'bench');
  console.log(`loading ${MAILBOXES.toLocaleString()} mailboxes × 30 samples into PostgreSQL (schema ${schema}) ...`);
  const t0 = performance.now();
  const r = rng(7);
  const shapes: Shape[] = ['linear', 'noisy', 'deletions', 'weekly'];
  let expectAlerts = 0;
  for (let start = 0; start < MAILBOXES; start += BATCH) {
    const names: string[] = [];
    const quotas: number[] = [];
    const hex: string[] = [];
    const last: number[] = [];
    for (let i = start; i < Math.min(MAILBOXES, start + BATCH); i++) {
      const m = synthesize(shapes[i % 4]!, r, now);
      if (m.trueDaysToFull <= 3 || m.used[m.used.length - 1]! / m.quotaBytes >= 0.9) expectAlerts++;
      names.push(`user${String(i).padStart(7, '0')}@bench.test`);
      quotas.push(m.quotaBytes);
      hex.push(packSamples(m.at.map((t, k) => [t, m.used[k]!] as [number, number])).toString('hex'));
      last.push(m.at[m.at.length - 1]!);
    }
    await db.query(
      `INSERT INTO mailbox_usage (tenant_id, mailbox, quota_bytes, samples, last_at)
       SELECT 'bench', m, q, decode(s, 'hex'), to_timestamp(l / 1000.0) FROM unnest($1::text[], $2::float8[], $3::text[], $4::float8[]) AS x(m, q, s, l)`,
      [names, quotas, hex, last],
    );
    if ((start / BATCH) % 40 === 0) process.stdout.write(`  ${(start + names.length).toLocaleString()}\r`);
  }
  await db.query('ANALYZE mailbox_usage');
  console.log(`loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s (≈${expectAlerts.toLocaleString()} mailboxes truly within 3 days of full or ≥ 90 %)`);

  // 1) one process runs the whole tenant (the embedded, in-process mode)
  const rss0 = process.memoryUsage().rss;
  const t1 = performance.now();
  const result = await runMailboxForecasts(ctx, 'bench', { now: now + DAY / 4 });
  const secs = (performance.now() - t1) / 1000;
  const rss1 = process.memoryUsage().rss;
  const alerts = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM alerts WHERE tenant_id = 'bench'`)).rows[0]!.n;
  console.log('\n1) one process, whole tenant');
  console.log(`  mailboxes          ${result.mailboxes.toLocaleString()} (forecasted ${result.forecasted.toLocaleString()})`);
  console.log(`  alerts raised      ${result.raised.toLocaleString()} (stored: ${alerts.toLocaleString()})`);
  console.log(`  time               ${secs.toFixed(1)} s  (${Math.round(result.mailboxes / secs).toLocaleString()} mailboxes/s)`);
  console.log(`  RSS                ${Math.round(rss0 / 2 ** 20)} MB before, ${Math.round(rss1 / 2 ** 20)} MB after`);

  // 2) the scheduled job as deployed at scale: the planner splits the tenant into key-range shards
  //    and `mailmedic worker` processes (one per core here) take them from Redis. Alert states are
  //    already active from run 1, so this run must raise nothing (exactly once).
  const prefix = `mmbench_${randomBytes(3).toString('hex')}`;
  const env = { ...process.env, DATABASE_URL: url, REDIS_URL: REDIS, REDIS_PREFIX: prefix, LOG_LEVEL: 'warn', FORECAST_THRESHOLD_DAYS: '3' };
  const workers: ChildProcess[] = [];
  for (let i = 0; i < WORKERS; i++) {
    const w = spawn(process.execPath, ['bin/mailmedic.js', 'worker'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    workers.push(w);
    await new Promise<void>((resolve, reject) => {
      w.stdout!.on('data', (d: Buffer) => d.toString().includes('worker started') && resolve());
      w.on('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    });
  }
  const queue = await createBullmqQueue(REDIS, prefix);
  try {
    const t2 = performance.now();
    const id = await queue.enqueue(FORECAST_JOB, { tenantId: 'bench' });
    let planned: { shards: number } | null = null;
    for (;;) {
      const info = await queue.get(FORECAST_JOB, id);
      if (info?.state === 'failed') throw new Error(`planner failed: ${info.error}`);
      if (info?.state === 'completed') {
        planned = info.result as { shards: number };
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    let raised = 0;
    let mailboxes = 0;
    for (let i = 0; i < (planned.shards ?? 0); i++) {
      for (;;) {
        const info = await queue.get(FORECAST_SHARD_JOB, `${id}-${i}`);
        if (info?.state === 'failed') throw new Error(`shard ${i} failed: ${info.error}`);
        if (info?.state === 'completed') {
          const r2 = info.result as { raised: number; mailboxes: number };
          raised += r2.raised;
          mailboxes += r2.mailboxes;
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const secs2 = (performance.now() - t2) / 1000;
    console.log(`\n2) scheduled job: ${planned.shards ?? 1} shard(s) over ${WORKERS} \`mailmedic worker\` processes (BullMQ)`);
    console.log(`  mailboxes          ${mailboxes.toLocaleString()}`);
    console.log(`  time               ${secs2.toFixed(1)} s  (${Math.round(mailboxes / secs2).toLocaleString()} mailboxes/s)   target ≤ 60 s: ${secs2 <= 60 ? 'met' : 'NOT met'}`);
    console.log(`  alerts raised      ${raised} on the second run (exactly once: ${raised === 0 ? 'yes' : 'NO'})`);
  } finally {
    await queue.close(1000);
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.on('exit', r)))));
  }
} finally {
  await closeContext(ctx);
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
}
