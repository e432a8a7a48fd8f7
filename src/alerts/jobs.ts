import type { AppContext } from '../app/context.js';
import { getTenant } from '../store/tenants.js';
import { DELIVER_JOB, deliverAlert } from './notify.js';
import { runMailboxForecasts } from './run.js';
import { planShards } from './usage.js';
import { runDomainMonitoring } from './domains.js';
import { alertSettingsOf } from './settings.js';

export const FORECAST_JOB = 'alerts.forecast';
export const FORECAST_SHARD_JOB = 'alerts.forecast-shard';
/** mailboxes per shard: each shard is one job, so worker processes share a large tenant */
export const SHARD_SIZE = 100_000;
export const DOMAINS_JOB = 'alerts.domains';

export function defineAlertJobs(ctx: AppContext): void {
  // A small tenant runs in one job; a large one is split into key-range shards that any worker
  // can take. Shard job ids derive from the run's id, so a retried planner does not double them.
  ctx.jobs.define<{ tenantId: string }>(FORECAST_JOB, async (job) => {
    const { n } = (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mailbox_usage WHERE tenant_id = $1', [job.data.tenantId])).rows[0]!;
    if (n <= SHARD_SIZE) return runMailboxForecasts(ctx, job.data.tenantId, { signal: job.signal, progress: job.progress });
    const shards = await planShards(ctx.db, job.data.tenantId, Math.ceil(n / SHARD_SIZE));
    for (const [i, range] of shards.entries()) {
      await ctx.jobs.enqueue(FORECAST_SHARD_JOB, { tenantId: job.data.tenantId, range }, { jobId: `${job.id}-${i}`, attempts: 3, backoffMs: 5000 });
    }
    return { shards: shards.length, mailboxes: n };
  });
  ctx.jobs.define<{ tenantId: string; range: { after: string; upTo: string | null } }>(FORECAST_SHARD_JOB, async (job) =>
    runMailboxForecasts(ctx, job.data.tenantId, { range: job.data.range, signal: job.signal, progress: job.progress }),
  );
  ctx.jobs.define<{ tenantId: string }>(DOMAINS_JOB, async (job) => runDomainMonitoring(ctx, job.data.tenantId, { signal: job.signal }));
  ctx.jobs.define<{ deliveryId: string }>(DELIVER_JOB, async (job) => deliverAlert(ctx, job.data.deliveryId, job.attempt), {
    concurrency: 4,
  });
}

/** (Re)creates the tenant's forecast schedule from its settings; idempotent. */
export async function scheduleTenantAlerts(ctx: AppContext, tenantId: string): Promise<void> {
  const tenant = await getTenant(ctx.db, tenantId);
  if (!tenant) return;
  const s = alertSettingsOf(tenant);
  const repeat = { cron: s.cron ?? ctx.config.FORECAST_CRON, tz: s.timezone };
  await ctx.jobs.schedule(FORECAST_JOB, `forecast-${tenantId}`, repeat, { tenantId });
  await ctx.jobs.schedule(DOMAINS_JOB, `domains-${tenantId}`, repeat, { tenantId });
}

export async function scheduleAllTenants(ctx: AppContext): Promise<void> {
  const r = await ctx.db.query<{ id: string }>('SELECT id FROM tenants');
  for (const { id } of r.rows) await scheduleTenantAlerts(ctx, id);
}
