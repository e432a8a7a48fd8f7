// The scheduled forecast run for one tenant: page through mailboxes, forecast each, and move alert
// states in one transaction per page. Set-based: one read and at most two writes per page.
import type { AppContext } from '../app/context.js';
import { getTenant } from '../store/tenants.js';
import { forecast, type Forecast } from './forecast.js';
import { mailboxMessage } from './messages.js';
import { clearAlerts, raiseAlerts, type AlertCandidate } from './state.js';
import { readUsagePage, unpackSamples } from './usage.js';
import { createDeliveries, enqueuePendingDeliveries } from './notify.js';
import { alertSettingsOf } from './settings.js';

export const MAILBOX_KIND = 'mailbox_quota';
const FULL_PCT = 90;
/** hysteresis, so a mailbox hovering at the threshold does not alert every day */
const RECOVER_PCT = 85;

export interface RunResult {
  mailboxes: number;
  forecasted: number;
  raised: number;
  cleared: number;
}

export function mailboxCondition(f: Forecast, thresholdDays: number): 'alert' | 'clear' | 'hold' {
  const soon = f.daysToFull !== null && f.daysToFull <= thresholdDays;
  if (soon || f.usedPct >= FULL_PCT) return 'alert';
  const later = f.daysToFull === null || f.daysToFull > thresholdDays + 2;
  return f.usedPct < RECOVER_PCT && later ? 'clear' : 'hold';
}

export async function runMailboxForecasts(
  ctx: AppContext,
  tenantId: string,
  opts: {
    now?: number;
    pageSize?: number;
    /** a key range of the tenant's mailboxes (a shard); all of them when absent */
    range?: { after: string; upTo: string | null };
    signal?: AbortSignal;
    progress?: (p: Record<string, unknown>) => Promise<void>;
  } = {},
): Promise<RunResult> {
  const tenant = await getTenant(ctx.db, tenantId);
  if (!tenant) return { mailboxes: 0, forecasted: 0, raised: 0, cleared: 0 };
  const settings = alertSettingsOf(tenant);
  const thresholdDays = settings.thresholdDays ?? ctx.config.FORECAST_THRESHOLD_DAYS;
  const now = opts.now ?? Date.now();
  const pageSize = opts.pageSize ?? 5000;
  const result: RunResult = { mailboxes: 0, forecasted: 0, raised: 0, cleared: 0 };
  let after = opts.range?.after ?? '';
  for (;;) {
    if (opts.signal?.aborted) throw new Error('forecast run cancelled');
    const page = await readUsagePage(ctx.db, tenantId, after, pageSize, opts.range?.upTo ?? null);
    if (!page.length) break;
    after = page[page.length - 1]!.mailbox;
    const raise: AlertCandidate[] = [];
    const clear: string[] = [];
    for (const m of page) {
      const { at, used } = unpackSamples(m.samples);
      const f = forecast({ at, used, quotaBytes: m.quotaBytes }, { now });
      result.mailboxes++;
      if (f.method === 'theil-sen') result.forecasted++;
      const verdict = mailboxCondition(f, thresholdDays);
      if (verdict === 'alert' && !m.alertActive) {
        raise.push({
          subject: m.mailbox,
          severity: f.usedPct >= FULL_PCT || (f.daysToFull ?? Infinity) <= 1 ? 'critical' : 'warning',
          message: mailboxMessage(m.mailbox, f, thresholdDays),
          details: { forecast: f, thresholdDays },
        });
      } else if (verdict === 'clear' && m.alertActive) clear.push(m.mailbox);
    }
    if (raise.length || clear.length) {
      await ctx.db.tx(async (q) => {
        const raised = await raiseAlerts(q, tenantId, MAILBOX_KIND, raise);
        await createDeliveries(q, tenantId, raised.map((r) => r.id), settings);
        result.raised += raised.length;
        result.cleared += await clearAlerts(q, tenantId, MAILBOX_KIND, clear);
      });
    }
    await opts.progress?.({ mailboxes: result.mailboxes, raised: result.raised });
    if (page.length < pageSize) break;
  }
  // Also picks up deliveries a crashed run created but never queued.
  await enqueuePendingDeliveries(ctx, tenantId);
  return result;
}
