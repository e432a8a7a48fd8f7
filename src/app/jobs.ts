// Job handlers of every feature, defined on the queue by `serve` (in-process) and `worker`.
import type { AppContext } from './context.js';
import { defineAlertJobs, scheduleAllTenants } from '../alerts/index.js';
import { defineLogJobs } from '../logs/service.js';
import { defineSupportJobs } from '../support/jobs.js';

type JobRegistration = (ctx: AppContext) => void;

export const jobRegistrations: JobRegistration[] = [defineAlertJobs, defineSupportJobs, defineLogJobs];

/** Repeating schedules, created (idempotently) by `serve` and `worker` at start-up. */
export const scheduleRegistrations: Array<(ctx: AppContext) => Promise<void>> = [scheduleAllTenants];

export function defineJobs(ctx: AppContext): void {
  for (const register of jobRegistrations) register(ctx);
}

export async function createSchedules(ctx: AppContext): Promise<void> {
  for (const schedule of scheduleRegistrations) await schedule(ctx);
}
