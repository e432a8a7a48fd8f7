import type { AppContext } from '../app/context.js';
import { getTenant } from '../store/tenants.js';
import { DELIVER_JOB, deliverAlert } from './notify.js';
import { runMailboxForecasts } from './run.js';
import { runDomainMonitoring } from './domains.js';
import { alertSettingsOf } from './settings.js';

export const FORECAST_JOB = 'alerts.forecast';
export const DOMAINS_JOB = 'alerts.domains';

export function defineAlertJobs(ctx: AppContext): void {
  ctx.jobs.define<{ tenantId: string }>(FORECAST_JOB, async (job) =>
    runMailboxForecasts(ctx, job.data.tenantId, { signal: job.signal, progress: job.progress }),
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
