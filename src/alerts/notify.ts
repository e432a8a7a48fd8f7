// Alert delivery: one row per (alert, channel) created with the alert, then one queued job per row
// (job id = row id, so re-queuing is harmless). Receivers get the alert id as idempotency key.
import { lookup } from 'node:dns/promises';
import nodemailer from 'nodemailer';
import type { AppContext } from '../app/context.js';
import { deliverWebhook } from '../app/outbound.js';
import { outboundGuard } from '../app/domain-deps.js';
import type { AddressGuard } from '../dns/guard.js';
import type { Queryable } from '../store/db.js';
import { getTenant } from '../store/tenants.js';
import { alertSettingsOf, type AlertSettings } from './settings.js';

export const DELIVER_JOB = 'alerts.deliver';
export const DELIVERY_ATTEMPTS = 5;

export async function createDeliveries(q: Queryable, tenantId: string, alertIds: string[], settings: AlertSettings): Promise<void> {
  const channels = [settings.webhook ? 'webhook' : null, settings.email ? 'email' : null].filter((c): c is string => c !== null);
  if (!alertIds.length || !channels.length) return;
  await q.query(
    `INSERT INTO alert_deliveries (tenant_id, alert_id, channel)
     SELECT $1, a, c FROM unnest($2::uuid[]) a CROSS JOIN unnest($3::text[]) c
     ON CONFLICT (alert_id, channel) DO NOTHING`,
    [tenantId, alertIds, channels],
  );
}

export async function enqueuePendingDeliveries(ctx: AppContext, tenantId: string): Promise<number> {
  const r = await ctx.db.query<{ id: string }>(
    `SELECT id FROM alert_deliveries WHERE tenant_id = $1 AND status = 'pending' ORDER BY created_at LIMIT 10000`,
    [tenantId],
  );
  for (const { id } of r.rows) {
    await ctx.jobs.enqueue(DELIVER_JOB, { deliveryId: id }, { jobId: id, attempts: DELIVERY_ATTEMPTS, backoffMs: 2000 });
  }
  return r.rows.length;
}

interface DeliveryRow {
  id: string;
  tenant_id: string;
  channel: 'webhook' | 'email';
  status: string;
  alert: { id: string; kind: string; subject: string; severity: string; message: { zh: string; en: string }; details: unknown; created_at: string };
}

/** One delivery attempt; throws to let the queue retry. The last failed attempt marks the row failed. */
export async function deliverAlert(ctx: AppContext, deliveryId: string, attempt: number): Promise<'delivered' | 'skipped'> {
  const r = await ctx.db.query<DeliveryRow>(
    `SELECT d.id, d.tenant_id, d.channel, d.status,
            json_build_object('id', a.id, 'kind', a.kind, 'subject', a.subject, 'severity', a.severity,
                              'message', a.message, 'details', a.details, 'created_at', a.created_at) AS alert
     FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id WHERE d.id = $1`,
    [deliveryId],
  );
  const row = r.rows[0];
  if (!row || row.status !== 'pending') return 'skipped';
  const tenant = await getTenant(ctx.db, row.tenant_id);
  const settings = tenant ? alertSettingsOf(tenant) : {};
  try {
    if (row.channel === 'webhook') {
      if (!settings.webhook) throw new Error('the tenant has no alert webhook configured any more');
      await deliverWebhook(
        { url: settings.webhook.url, secret: settings.webhook.secret, idempotencyKey: row.alert.id, event: `alert.${row.alert.kind}`, payload: row.alert },
        outboundGuard(ctx),
      );
    } else {
      if (!settings.email) throw new Error('the tenant has no alert e-mail configured any more');
      await sendAlertMail(settings.email, row.alert, outboundGuard(ctx));
    }
    await ctx.db.query(
      `UPDATE alert_deliveries SET status = 'delivered', delivered_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1`,
      [deliveryId],
    );
    return 'delivered';
  } catch (err) {
    const final = attempt >= DELIVERY_ATTEMPTS;
    await ctx.db.query(
      `UPDATE alert_deliveries SET attempts = attempts + 1, last_error = $2, status = CASE WHEN $3 THEN 'failed' ELSE status END WHERE id = $1`,
      [deliveryId, (err as Error).message.slice(0, 500), final],
    );
    throw err;
  }
}

async function sendAlertMail(cfg: NonNullable<AlertSettings['email']>, alert: DeliveryRow['alert'], guard: AddressGuard): Promise<void> {
  // Connect to the address we checked, and verify the certificate against the configured name.
  const { address } = await lookup(cfg.host);
  const decision = guard.check(address);
  if (!decision.allowed) throw new Error(`refusing to connect to ${cfg.host} (${address}): ${decision.reason}`);
  const transport = nodemailer.createTransport({
    host: address,
    port: cfg.port,
    secure: cfg.secure,
    auth: cfg.user ? { user: cfg.user, pass: cfg.pass ?? '' } : undefined,
    tls: { servername: cfg.host, rejectUnauthorized: cfg.tlsRejectUnauthorized },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  try {
    await transport.sendMail({
      from: cfg.from,
      to: cfg.to,
      subject: `[MailMedic] ${alert.severity === 'critical' ? '紧急 / Urgent: ' : ''}${alert.subject}`,
      text: `${alert.message.zh}\n\n${alert.message.en}\n\n(alert ${alert.id})`,
      headers: { 'X-MailMedic-Alert-Id': alert.id },
      messageId: `<alert-${alert.id}@mailmedic>`,
    });
  } finally {
    transport.close();
  }
}
