// Everything a route, job handler or command needs, built once per process from the config.
import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';
import { openDb, migrate, type Db } from '../store/index.js';
import { openJobs, type JobQueue } from '../jobs/index.js';
import { createMetrics, type Metrics } from './metrics.js';

export interface AppContext {
  config: Config;
  db: Db;
  jobs: JobQueue;
  log: Logger;
  metrics: Metrics;
  /** migration versions left pending (e.g. vector tables on a server without pgvector) */
  pendingMigrations: { version: string; reason: string }[];
}

export interface ContextOverrides {
  db?: Db;
  jobs?: JobQueue;
  log?: Logger;
}

/** pino JSON logs. Request bodies are never logged; keys in URLs (?api_key=) and secret-named
 *  fields are masked. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      serializers: {
        req: (req: { method: string; url: string; host?: string; ip?: string }) => ({
          method: req.method,
          url: req.url.replace(/([?&](?:api_key|token|key)=)[^&]*/gi, '$1***'),
          host: req.host,
          remoteAddress: req.ip,
        }),
      },
      redact: ['*.password', '*.apiKey', '*.secret', '*.botToken'],
    },
    destination,
  );
}

export async function createContext(config: Config, overrides: ContextOverrides = {}): Promise<AppContext> {
  const log = overrides.log ?? createLogger(config);
  const db = overrides.db ?? (await openDb(config));
  let jobs: JobQueue;
  try {
    jobs = overrides.jobs ?? (await openJobs(config));
  } catch (err) {
    if (!overrides.db) await db.close();
    throw err;
  }
  const { skipped } = await migrate(db);
  const ctx: AppContext = { config, db, jobs, log, metrics: createMetrics(), pendingMigrations: skipped };
  ctx.metrics.trackJobs(jobs);
  return ctx;
}

export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.jobs.close(ctx.config.SHUTDOWN_TIMEOUT_MS);
  try {
    for (const finish of closers.get(ctx) ?? []) await finish();
  } finally {
    await ctx.db.close();
  }
}

const closers = new WeakMap<AppContext, (() => Promise<void>)[]>();

/** Work that must reach the database before it closes (a write-behind queue's flush): run by
 *  closeContext after the jobs have stopped. */
export function beforeDbClose(ctx: AppContext, finish: () => Promise<void>): void {
  closers.set(ctx, [...(closers.get(ctx) ?? []), finish]);
}

/** A per-process service derived from the context (resolver, key cache, write batcher ...): built on
 *  first use, one per context, so tests with several apps in one process keep them apart. */
export function perContext<T>(make: (ctx: AppContext) => T): (ctx: AppContext) => T {
  const made = new WeakMap<AppContext, T>();
  return (ctx) => {
    if (!made.has(ctx)) made.set(ctx, make(ctx));
    return made.get(ctx)!;
  };
}
