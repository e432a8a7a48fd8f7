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

export async function createContext(config: Config, overrides: ContextOverrides = {}): Promise<AppContext> {
  const log =
    overrides.log ??
    pino({
      level: config.LOG_LEVEL,
      // Belt and braces: request bodies are never logged, but headers are.
      redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.apiKey'],
    });
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
  await ctx.db.close();
}
