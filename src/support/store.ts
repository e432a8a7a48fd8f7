// SQL for conversations, messages, tickets and their events. Text arrives here already redacted.
import type { Lang } from '../core/taxonomy.js';
import type { Queryable } from '../store/db.js';
import type { Memory, Priority, TicketKind } from './policy.js';
import type { Template } from './slots.js';

export interface ConversationUser {
  mailbox?: string;
  name?: string;
  role: 'user' | 'admin';
  verified: boolean;
  locale?: Lang;
}

export type ConversationState = 'bot' | 'handoff' | 'resolved';

export interface StoredMemory extends Memory {
  /** when the current bot episode started (creation, or the agent handing it back) */
  since: string;
}

export interface Conversation {
  id: string;
  tenantId: string;
  channel: string;
  user: ConversationUser;
  metadata: Record<string, unknown>;
  state: ConversationState;
  language: Lang;
  memory: StoredMemory;
  ticketId: string | null;
  externalKey: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface Message {
  id: number;
  role: 'user' | 'bot' | 'agent' | 'system';
  text: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

const convColumns = (a: string): string => `${a}id, ${a}tenant_id AS "tenantId", ${a}channel, ${a}user_info AS "user", ${a}metadata,
  ${a}state, ${a}language, ${a}memory, ${a}ticket_id AS "ticketId", ${a}external_key AS "externalKey", ${a}version,
  ${a}created_at AS "createdAt", ${a}updated_at AS "updatedAt"`;
const CONV_COLUMNS = convColumns('');

export async function insertConversation(
  q: Queryable,
  c: { tenantId: string; channel: string; user: ConversationUser; metadata: Record<string, unknown>; language: Lang; memory: StoredMemory; externalKey?: string; now: Date },
): Promise<Conversation> {
  const r = await q.query<Conversation>(
    `INSERT INTO conversations (tenant_id, channel, user_info, metadata, language, memory, external_key, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING ${CONV_COLUMNS}`,
    [c.tenantId, c.channel, JSON.stringify(c.user), JSON.stringify(c.metadata), c.language, JSON.stringify(c.memory), c.externalKey ?? null, c.now],
  );
  return r.rows[0]!;
}

export async function getConversation(q: Queryable, tenantId: string, id: string): Promise<Conversation | null> {
  if (!isUuid(id)) return null;
  const r = await q.query<Conversation>(`SELECT ${CONV_COLUMNS} FROM conversations WHERE id = $1 AND tenant_id = $2`, [id, tenantId]);
  return r.rows[0] ?? null;
}

/** The conversation with its tenant's settings, in one round trip. */
export async function getConversationAndSettings(q: Queryable, tenantId: string, id: string): Promise<{ conv: Conversation; settings: Record<string, unknown> } | null> {
  if (!isUuid(id)) return null;
  const r = await q.query<Conversation & { tenantSettings: Record<string, unknown> }>(
    `SELECT ${convColumns('c.')}, t.settings AS "tenantSettings"
     FROM conversations c JOIN tenants t ON t.id = c.tenant_id WHERE c.id = $1 AND c.tenant_id = $2`,
    [id, tenantId],
  );
  const row = r.rows[0];
  if (!row) return null;
  const { tenantSettings, ...conv } = row;
  return { conv, settings: tenantSettings };
}

export async function findByExternalKey(q: Queryable, tenantId: string, key: string): Promise<Conversation | null> {
  const r = await q.query<Conversation>(`SELECT ${CONV_COLUMNS} FROM conversations WHERE tenant_id = $1 AND external_key = $2`, [tenantId, key]);
  return r.rows[0] ?? null;
}

/** Optimistic update: false when someone else changed the conversation since it was read. */
export async function saveConversation(
  q: Queryable,
  c: Pick<Conversation, 'id' | 'version' | 'state' | 'language' | 'memory' | 'ticketId'>,
  now: Date,
): Promise<boolean> {
  const r = await q.query(
    `UPDATE conversations SET state = $3, language = $4, memory = $5, ticket_id = $6, version = version + 1, updated_at = $7
     WHERE id = $1 AND version = $2`,
    [c.id, c.version, c.state, c.language, JSON.stringify(c.memory), c.ticketId, now],
  );
  return r.rowCount > 0;
}

/**
 * One turn in one statement: the optimistic update and the messages it adds. False (nothing
 * written) when someone else changed the conversation since it was read.
 */
export async function saveTurn(
  q: Queryable,
  c: Pick<Conversation, 'id' | 'version' | 'state' | 'language' | 'memory' | 'ticketId'>,
  messages: { role: Message['role']; text: string; data?: Record<string, unknown>; at: Date }[],
  now: Date,
): Promise<boolean> {
  const r = await q.query(
    `WITH saved AS (
       UPDATE conversations SET state = $3, language = $4, memory = $5, ticket_id = $6, version = version + 1, updated_at = $7
       WHERE id = $1 AND version = $2 RETURNING id)
     INSERT INTO conversation_messages (conversation_id, role, text, data, created_at)
     SELECT saved.id, m.role, m.text, m.data, m.at
     FROM saved, jsonb_to_recordset($8::jsonb) AS m(ord int, role text, text text, data jsonb, at timestamptz) ORDER BY m.ord`,
    [c.id, c.version, c.state, c.language, JSON.stringify(c.memory), c.ticketId, now,
      JSON.stringify(messages.map((m, i) => ({ ord: i, role: m.role, text: m.text, data: m.data ?? {}, at: m.at.toISOString() })))],
  );
  return r.rowCount > 0;
}

export async function addMessages(q: Queryable, conversationId: string, messages: { role: Message['role']; text: string; data?: Record<string, unknown>; at: Date }[]): Promise<void> {
  if (!messages.length) return;
  await q.query(
    `INSERT INTO conversation_messages (conversation_id, role, text, data, created_at)
     SELECT $1, m.role, m.text, m.data, m.at FROM jsonb_to_recordset($2::jsonb) AS m(ord int, role text, text text, data jsonb, at timestamptz)
     ORDER BY m.ord`,
    [conversationId, JSON.stringify(messages.map((m, i) => ({ ord: i, role: m.role, text: m.text, data: m.data ?? {}, at: m.at.toISOString() })))],
  );
}

export async function listMessages(q: Queryable, conversationId: string, limit = 1000): Promise<Message[]> {
  const r = await q.query<Message>(
    `SELECT id::int AS id, role, text, data, created_at AS "createdAt" FROM conversation_messages
     WHERE conversation_id = $1 ORDER BY id LIMIT $2`,
    [conversationId, limit],
  );
  return r.rows;
}

// --- tickets -----------------------------------------------------------------------------------

export type TicketStatus = 'open' | 'pending' | 'resolved' | 'closed';
export const KIND_RANK: Record<TicketKind, number> = { security: 1, outage: 2, config: 3, other: 4 };

export interface TicketSummary {
  text: string;
  lang: Lang;
  source: 'deterministic' | 'llm';
}

export interface Ticket {
  id: string;
  number: number;
  tenantId: string;
  conversationId: string | null;
  status: TicketStatus;
  kind: TicketKind;
  priority: Priority;
  reason: string;
  queue: string;
  channel: 'standard' | 'emergency';
  mailbox: string | null;
  dedupeKey: string | null;
  template: Template & { missing: string[] };
  diagnosis: Record<string, unknown> | null;
  evidence: unknown[];
  summary: TicketSummary;
  assignee: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface TicketEvent {
  id: number;
  kind: string;
  actor: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

const TICKET_COLUMNS = `id, number::int AS number, tenant_id AS "tenantId", conversation_id AS "conversationId", status, kind, priority,
  reason, queue, channel, mailbox, dedupe_key AS "dedupeKey", template, diagnosis, evidence, summary, assignee,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export type NewTicket = Omit<Ticket, 'id' | 'number' | 'status' | 'assignee' | 'createdAt' | 'updatedAt'>;

/**
 * Opens a ticket, or — when an open ticket with the same duplicate key exists for the tenant —
 * returns that one instead (the unique partial index makes this race-free).
 */
export async function openTicket(q: Queryable, t: NewTicket, now: Date): Promise<{ ticket: Ticket; duplicate: boolean }> {
  const inserted = await q.query<Ticket>(
    `INSERT INTO tickets (tenant_id, conversation_id, kind, kind_rank, priority, reason, queue, channel, mailbox, dedupe_key,
                          template, diagnosis, evidence, summary, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
     ON CONFLICT (tenant_id, dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('open', 'pending') DO NOTHING
     RETURNING ${TICKET_COLUMNS}`,
    [t.tenantId, t.conversationId, t.kind, KIND_RANK[t.kind], t.priority, t.reason, t.queue, t.channel, t.mailbox, t.dedupeKey,
      JSON.stringify(t.template), t.diagnosis ? JSON.stringify(t.diagnosis) : null, JSON.stringify(t.evidence), JSON.stringify(t.summary), now],
  );
  if (inserted.rows[0]) return { ticket: inserted.rows[0], duplicate: false };
  const existing = await q.query<Ticket>(
    `SELECT ${TICKET_COLUMNS} FROM tickets WHERE tenant_id = $1 AND dedupe_key = $2 AND status IN ('open', 'pending')`,
    [t.tenantId, t.dedupeKey],
  );
  if (!existing.rows[0]) throw new Error('duplicate ticket vanished while merging'); // closed in between: caller retries
  return { ticket: existing.rows[0], duplicate: true };
}

export async function addTicketEvent(q: Queryable, ticketId: string, e: { kind: string; actor: string; data?: Record<string, unknown>; at: Date }): Promise<void> {
  await q.query(
    `INSERT INTO ticket_events (ticket_id, kind, actor, data, created_at) VALUES ($1, $2, $3, $4, $5)`,
    [ticketId, e.kind, e.actor, JSON.stringify(e.data ?? {}), e.at],
  );
  await q.query('UPDATE tickets SET updated_at = $2 WHERE id = $1', [ticketId, e.at]);
}

export async function getTicket(q: Queryable, tenantId: string, id: string): Promise<Ticket | null> {
  if (!isUuid(id)) return null;
  const r = await q.query<Ticket>(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE id = $1 AND tenant_id = $2`, [id, tenantId]);
  return r.rows[0] ?? null;
}

export async function listTicketEvents(q: Queryable, ticketId: string): Promise<TicketEvent[]> {
  const r = await q.query<TicketEvent>(
    `SELECT id::int AS id, kind, actor, data, created_at AS "createdAt" FROM ticket_events WHERE ticket_id = $1 ORDER BY id`,
    [ticketId],
  );
  return r.rows;
}

export interface TicketFilter {
  status?: TicketStatus;
  queue?: string;
  mailbox?: string;
  limit: number;
  offset: number;
}

/** Tenant tickets, most important first: kind (security > outage > config > other), then newest. */
export async function listTickets(q: Queryable, tenantId: string, f: TicketFilter): Promise<Ticket[]> {
  const r = await q.query<Ticket>(
    `SELECT ${TICKET_COLUMNS} FROM tickets
     WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR queue = $3) AND ($4::text IS NULL OR mailbox = $4)
     ORDER BY CASE WHEN status IN ('open', 'pending') THEN 0 ELSE 1 END, kind_rank,
              CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, created_at DESC
     LIMIT $5 OFFSET $6`,
    [tenantId, f.status ?? null, f.queue ?? null, f.mailbox?.toLowerCase() ?? null, f.limit, f.offset],
  );
  return r.rows;
}

export async function updateTicket(
  q: Queryable,
  tenantId: string,
  id: string,
  patch: { status?: TicketStatus; assignee?: string | null; priority?: Priority; queue?: string },
  now: Date,
): Promise<Ticket | null> {
  const r = await q.query<Ticket>(
    `UPDATE tickets SET status = coalesce($3, status), assignee = CASE WHEN $4 THEN $5 ELSE assignee END,
            priority = coalesce($6, priority), queue = coalesce($7, queue), updated_at = $8
     WHERE id = $1 AND tenant_id = $2 RETURNING ${TICKET_COLUMNS}`,
    [id, tenantId, patch.status ?? null, patch.assignee !== undefined, patch.assignee ?? null, patch.priority ?? null, patch.queue ?? null, now],
  );
  return r.rows[0] ?? null;
}

export async function setTicketSummary(q: Queryable, id: string, summary: TicketSummary): Promise<void> {
  await q.query('UPDATE tickets SET summary = $2 WHERE id = $1', [id, JSON.stringify(summary)]);
}

/** Conversations attached to a ticket (the one that opened it and any merged duplicates). */
export async function conversationsOfTicket(q: Queryable, ticketId: string): Promise<Conversation[]> {
  const r = await q.query<Conversation>(`SELECT ${CONV_COLUMNS} FROM conversations WHERE ticket_id = $1 ORDER BY created_at`, [ticketId]);
  return r.rows;
}

export const isUuid = (s: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
