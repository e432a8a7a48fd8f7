// Test backends: real PGlite, real PostgreSQL and real Redis. PostgreSQL/Redis suites are skipped
// with a visible warning when unreachable outside CI; under CI=true they fail instead.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { openPglite } from '../../src/store/pglite.js';
import { openPostgres } from '../../src/store/postgres.js';
import { migrate, type Db } from '../../src/store/index.js';
import { createBullmqQueue, createInProcessQueue, type JobQueue } from '../../src/jobs/index.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function reachable(check: () => Promise<unknown>, what: string): Promise<boolean> {
  try {
    await check();
    return true;
  } catch (err) {
    if (process.env.CI === 'true') throw new Error(`${what} is required under CI but unreachable: ${(err as Error).message}`);
    console.warn(`\n⚠ ${what} unreachable (${(err as Error).message}): its test suites are SKIPPED\n`);
    return false;
  }
}

export const postgresAvailable = await reachable(async () => {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2000 });
  await c.connect();
  await c.end();
}, `PostgreSQL (${TEST_DATABASE_URL})`);

export const redisAvailable = await reachable(async () => {
  const r = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await r.connect();
    await r.ping();
  } finally {
    r.disconnect();
  }
}, `Redis (${TEST_REDIS_URL})`);

export type DbBackend = 'pglite' | 'postgres';
export const DB_BACKENDS: DbBackend[] = postgresAvailable ? ['pglite', 'postgres'] : ['pglite'];
export type JobBackend = 'inprocess' | 'bullmq';
export const JOB_BACKENDS: JobBackend[] = redisAvailable ? ['inprocess', 'bullmq'] : ['inprocess'];

const uid = () => randomBytes(5).toString('hex');

/** A migrated database. PostgreSQL gets a schema of its own, dropped on close, so test files can run in parallel. */
export async function openTestDb(backend: DbBackend, { migrated = true } = {}): Promise<Db> {
  let db: Db;
  if (backend === 'pglite') db = await openPglite();
  else {
    const schema = `t_${uid()}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const url = `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const inner = await openPostgres(url, 4);
    db = {
      ...inner,
      close: async () => {
        await inner.close();
        const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      },
    };
  }
  if (migrated) await migrate(db);
  return db;
}

/** A job queue; BullMQ gets a Redis key prefix of its own. */
export async function openTestJobs(backend: JobBackend): Promise<JobQueue> {
  return backend === 'inprocess' ? createInProcessQueue() : createBullmqQueue(TEST_REDIS_URL, `mmtest_${uid()}`);
}
