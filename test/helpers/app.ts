// A whole MailMedic app over real backends, with three API keys: admin and agent of tenant "acme",
// admin of tenant "globex" (for cross-tenant checks).
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/config.js';
import { createContext, closeContext, type AppContext } from '../../src/app/context.js';
import { defineJobs } from '../../src/app/jobs.js';
import { buildApp } from '../../src/api/app.js';
import { createApiKey, createTenant } from '../../src/store/tenants.js';
import pino, { type Logger } from 'pino';
import { openTestDb, openTestJobs, type DbBackend, type JobBackend } from './backends.js';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  keys: { admin: string; agent: string; otherAdmin: string };
  /** inject with the given key as Bearer */
  as(key: string, opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startTestApp(
  opts: { db?: DbBackend; jobs?: JobBackend; env?: Record<string, string>; log?: Logger } = {},
): Promise<TestApp> {
  const config: Config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '/nonexistent', ...opts.env });
  const db = await openTestDb(opts.db ?? 'pglite', { migrated: false });
  const jobs = await openTestJobs(opts.jobs ?? 'inprocess');
  const ctx = await createContext(config, { db, jobs, log: opts.log ?? pino({ level: 'silent' }) });
  defineJobs(ctx);
  await ctx.jobs.startWorkers();
  await createTenant(ctx.db, 'acme');
  await createTenant(ctx.db, 'globex');
  const keys = {
    admin: (await createApiKey(ctx.db, 'acme', 'admin')).key,
    agent: (await createApiKey(ctx.db, 'acme', 'agent')).key,
    otherAdmin: (await createApiKey(ctx.db, 'globex', 'admin')).key,
  };
  const app = await buildApp(ctx);
  await app.ready();
  return {
    app,
    ctx,
    keys,
    as: (key, o) => app.inject({ ...o, headers: { ...(o.headers ?? {}), authorization: `Bearer ${key}` } } as InjectOptions),
    close: async () => {
      await app.close();
      await closeContext(ctx);
    },
  };
}
