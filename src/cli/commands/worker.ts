import { loadConfig, ConfigError } from '../../config.js';
import { closeContext, createContext } from '../../app/context.js';
import { createSchedules, defineJobs } from '../../app/jobs.js';
import { waitForSignal } from './serve.js';

/** A queue worker: takes jobs from Redis until SIGTERM, then finishes what it holds. */
export async function run(): Promise<number> {
  const config = loadConfig();
  if (!config.REDIS_URL) {
    throw new ConfigError('worker needs REDIS_URL; without Redis, `mailmedic serve` runs the jobs itself');
  }
  const ctx = await createContext(config);
  defineJobs(ctx);
  await ctx.jobs.startWorkers();
  // Idempotent: a worker that starts (or reconnects) after Redis lost its data restores the schedules.
  await createSchedules(ctx);
  process.stdout.write(`MailMedic worker started (database: ${ctx.db.kind})\n`);
  await waitForSignal();
  await closeContext(ctx);
  return 0;
}
