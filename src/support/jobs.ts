import type { AppContext } from '../app/context.js';
import { postToChatwoot } from './chatwoot.js';
import { deliverHandoff, HANDOFF_JOB } from './handoff.js';
import { IDLE_JOB, offerHumanIfIdle, type IdleJob } from './idle.js';
import { SUMMARY_JOB, writeLlmSummary } from './summary-job.js';

export function defineSupportJobs(ctx: AppContext): void {
  ctx.jobs.define<{ deliveryId: string }>(HANDOFF_JOB, async (job) => deliverHandoff(ctx, job.data.deliveryId, job.attempt), { concurrency: 4 });
  ctx.jobs.define<IdleJob>(IDLE_JOB, async (job) => offerHumanIfIdle(ctx, job.data, (conv, text) => postToChatwoot(ctx, conv, text)), { concurrency: 4 });
  ctx.jobs.define<{ ticketId: string }>(SUMMARY_JOB, async (job) => writeLlmSummary(ctx, job.data.ticketId), { concurrency: 2 });
}
