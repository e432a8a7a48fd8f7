// Hand-over webhooks: one delivery row per ticket event, delivered by a queued job (job id = row id,
// so re-queuing is harmless) with exponential backoff; the row id is the receiver's idempotency key.
import type { AppContext } from '../app/context.js';
import { deliverWebhook, OutboundError } from '../app/outbound.js';
import { outboundGuard } from '../app/domain-deps.js';
import type { Queryable } from '../store/db.js';
import { getTenant } from '../store/tenants.js';
import { handoffSettingsOf } from './settings.js';
import { getTicket } from './store.js';

export const HANDOFF_JOB = 'support.handoff-webhook';
export const HANDOFF_ATTEMPTS = 6;
export const HANDOFF_BACKOFF_MS = 1000;

export type HandoffEvent = 'ticket.created' | 'ticket.updated';

/** Inserts the delivery row (inside the hand-over transaction); null when no webhook is configured. */
export async function createHandoffDelivery(q: Queryable, tenantId: string, ticketId: string, event: HandoffEvent, configured: boolean): Promise<string | null> {
  if (!configured) return null;
  const r = await q.query<{ id: string }>(
    `INSERT INTO handoff_deliveries (tenant_id, ticket_id, event) VALUES ($1, $2, $3) RETURNING id`,
    [tenantId, ticketId, event],
  );
  return r.rows[0]!.id;
}

export async function enqueueHandoffDelivery(ctx: AppContext, deliveryId: string): Promise<void> {
  await ctx.jobs.enqueue(HANDOFF_JOB, { deliveryId }, { jobId: deliveryId, attempts: HANDOFF_ATTEMPTS, backoffMs: HANDOFF_BACKOFF_MS });
}

export function transcriptUrl(ctx: AppContext, conversationId: string): string {
  const path = `/v1/conversations/${conversationId}/transcript?format=txt`;
  return ctx.config.PUBLIC_BASE_URL ? `${ctx.config.PUBLIC_BASE_URL.replace(/\/$/, '')}${path}` : path;
}

interface DeliveryRow {
  id: string;
  tenant_id: string;
  ticket_id: string;
  event: HandoffEvent;
  status: string;
}

/** One attempt; throws so the queue retries. The last failed attempt marks the row failed. */
export async function deliverHandoff(ctx: AppContext, deliveryId: string, attempt: number): Promise<'delivered' | 'skipped'> {
  const r = await ctx.db.query<DeliveryRow>('SELECT id, tenant_id, ticket_id, event, status FROM handoff_deliveries WHERE id = $1', [deliveryId]);
  const row = r.rows[0];
  if (!row || row.status !== 'pending') return 'skipped';
  let status: number | null = null;
  try {
    const tenant = await getTenant(ctx.db, row.tenant_id);
    const webhook = handoffSettingsOf(tenant?.settings).webhook;
    if (!webhook) throw new Error('the tenant has no hand-over webhook configured any more');
    const ticket = await getTicket(ctx.db, row.tenant_id, row.ticket_id);
    if (!ticket) return 'skipped';
    const payload = {
      ticket: {
        id: ticket.id, number: ticket.number, status: ticket.status, kind: ticket.kind, priority: ticket.priority, reason: ticket.reason,
        queue: ticket.queue, channel: ticket.channel, mailbox: ticket.mailbox, assignee: ticket.assignee, createdAt: ticket.createdAt,
      },
      template: ticket.template,
      diagnosis: ticket.diagnosis,
      summary: ticket.summary,
      conversationId: ticket.conversationId,
      transcript: ticket.conversationId ? transcriptUrl(ctx, ticket.conversationId) : null,
    };
    const res = await deliverWebhook({ url: webhook.url, secret: webhook.secret, idempotencyKey: row.id, event: row.event, payload }, outboundGuard(ctx)).catch((err: unknown) => {
      const m = err instanceof OutboundError ? /HTTP (\d{3})/.exec(err.message) : null;
      if (m) status = Number(m[1]);
      throw err;
    });
    status = res.status;
    await ctx.db.query(
      `UPDATE handoff_deliveries SET status = 'delivered', delivered_at = now(), attempts = attempts + 1, last_status = $2, last_error = NULL WHERE id = $1`,
      [deliveryId, status],
    );
    return 'delivered';
  } catch (err) {
    const final = attempt >= HANDOFF_ATTEMPTS;
    await ctx.db.query(
      `UPDATE handoff_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3,
              status = CASE WHEN $4 THEN 'failed' ELSE status END WHERE id = $1`,
      [deliveryId, status, (err as Error).message.slice(0, 500), final],
    );
    throw err;
  }
}

export interface DeliveryLogEntry {
  id: string;
  ticketId: string;
  event: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export async function listDeliveries(q: Queryable, tenantId: string, ticketId?: string, limit = 100): Promise<DeliveryLogEntry[]> {
  const r = await q.query<DeliveryLogEntry>(
    `SELECT id, ticket_id AS "ticketId", event, status, attempts, last_status AS "lastStatus", last_error AS "lastError",
            delivered_at AS "deliveredAt", created_at AS "createdAt"
     FROM handoff_deliveries WHERE tenant_id = $1 AND ($2::uuid IS NULL OR ticket_id = $2) ORDER BY created_at DESC LIMIT $3`,
    [tenantId, ticketId ?? null, limit],
  );
  return r.rows;
}
