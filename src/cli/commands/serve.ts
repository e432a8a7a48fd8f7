import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../config.js';
import { closeContext, createContext, type AppContext } from '../../app/context.js';
import { createSchedules, defineJobs } from '../../app/jobs.js';
import { ensureDefaultTenant } from '../../app/bootstrap.js';
import { buildApp } from '../../api/app.js';
import { syncKnowledge } from '../../knowledge/index.js';

export interface RunningServer {
  app: FastifyInstance;
  ctx: AppContext;
  url: string;
  /** Stop accepting, finish in-flight requests and jobs, close pools. */
  shutdown(): Promise<void>;
}

export async function startServer(config: Config): Promise<RunningServer> {
  const ctx = await createContext(config);
  try {
    const first = await ensureDefaultTenant(ctx);
    if (first) {
      process.stdout.write(
        `\nFirst start: created tenant "${first.tenant}" with an admin API key (shown once, store it now):\n\n  ${first.key}\n\n`,
      );
    }
    // Cheap when nothing changed (content hashes); a broken article is reported, not fatal.
    await syncKnowledge(ctx).then(
      (r) => ctx.log.info(r, 'knowledge base in sync'),
      (err: Error) => ctx.log.error({ err: err.message }, 'knowledge base not loaded: answers carry no references'),
    );
    defineJobs(ctx);
    // Without Redis there is no separate worker: this process runs the jobs.
    if (config.JOBS_IN_PROCESS ?? ctx.jobs.kind === 'inprocess') await ctx.jobs.startWorkers();
    await createSchedules(ctx);
    const app = await buildApp(ctx);
    const url = await app.listen({ port: config.PORT, host: config.HOST });
    let closing: Promise<void> | null = null;
    return {
      app,
      ctx,
      url,
      shutdown: () =>
        (closing ??= (async () => {
          await app.close();
          await closeContext(ctx);
        })()),
    };
  } catch (err) {
    await closeContext(ctx).catch(() => {});
    throw err;
  }
}

export async function run(): Promise<number> {
  const config = loadConfig();
  const server = await startServer(config);
  server.ctx.log.info(
    { url: server.url, database: server.ctx.db.kind, jobs: server.ctx.jobs.kind, pgvector: server.ctx.db.features.vector },
    'MailMedic is listening',
  );
  process.stdout.write(`MailMedic listening on ${server.url} (API docs: ${server.url}/docs)\n`);
  await waitForSignal();
  server.ctx.log.info('shutting down: finishing in-flight requests and jobs');
  await server.shutdown();
  return 0;
}

export function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.once('SIGINT', on);
    process.once('SIGTERM', on);
  });
}
