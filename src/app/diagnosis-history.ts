// The stored history of diagnoses, per tenant. Rows are written behind the answer (write-behind
// queue, multi-row statements) and each distinct result once per tenant (diagnosis_results, by hash),
// so a busy API neither waits for nor pays much for its history. Readers flush first, so an id that
// was just returned is always found.
import { hash } from 'node:crypto';
import { createWriteBehind } from '../store/batch.js';
import { Lru } from './lru.js';
import { beforeDbClose, perContext, type AppContext } from './context.js';

export interface HistoryRow {
  id: string;
  tenantId: string;
  source: string;
  /** the time of the diagnosis, ISO 8601; also what a null ticket.timestamp in the result stands for */
  createdAt: string;
  /** redacted input, JSON */
  input: string;
  rootCause: string;
  reason: string;
  confidence: number;
  result: StoredResult;
}

export interface StoredResult {
  /** the Diagnosis as JSON, ticket.timestamp null where it was the time of the diagnosis */
  json: string;
  hash: string;
}

export function storedResult(json: string): StoredResult {
  return { json, hash: hash('sha256', json, 'base64url') };
}

/** results this process knows to be stored, per tenant and hash (bounded; forgetting costs a re-send) */
const MAX_KNOWN = 20_000;

function createHistory(ctx: AppContext) {
  const known = new Lru<string, true>(MAX_KNOWN);
  const keyOf = (r: HistoryRow) => `${r.tenantId}\u0000${r.result.hash}`;
  const failures = ctx.metrics.counter('mailmedic_diagnosis_store_failures_total', 'Diagnoses answered but not stored (logged)');

  async function write(rows: HistoryRow[]): Promise<void> {
    const results = new Map<string, HistoryRow>();
    for (const r of rows) if (known.get(keyOf(r)) === undefined) results.set(keyOf(r), r);
    const res = [...results.values()];
    const col = <K>(f: (r: HistoryRow) => K) => rows.map(f);
    try {
      // one statement: the new results and the rows naming them. JSON goes as one JSON array per
      // column (joined as it is), not as jsonb[]: array literals escape every quote of every result.
      const jsonArray = (items: string[]) => `[${items.join(',')}]`;
      await ctx.db.query(
        `WITH r AS (
           INSERT INTO diagnosis_results (tenant_id, hash, result)
           SELECT k.tenant_id, k.hash, j.value
           FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(tenant_id, hash, n)
           JOIN jsonb_array_elements($3::jsonb) WITH ORDINALITY AS j(value, n) USING (n)
           ON CONFLICT DO NOTHING
         )
         INSERT INTO diagnoses (id, tenant_id, created_at, source, input, root_cause, reason, confidence, result_hash)
         SELECT k.id, k.tenant_id, k.created_at, k.source, j.value, k.root_cause, k.reason, k.confidence, k.result_hash
         FROM unnest($4::uuid[], $5::text[], $6::timestamptz[], $7::text[], $8::text[], $9::text[], $10::real[], $11::text[])
           WITH ORDINALITY AS k(id, tenant_id, created_at, source, root_cause, reason, confidence, result_hash, n)
         JOIN jsonb_array_elements($12::jsonb) WITH ORDINALITY AS j(value, n) USING (n)`,
        [
          res.map((r) => r.tenantId), res.map((r) => r.result.hash), jsonArray(res.map((r) => r.result.json)),
          col((r) => r.id), col((r) => r.tenantId), col((r) => r.createdAt), col((r) => r.source),
          col((r) => r.rootCause), col((r) => r.reason), col((r) => r.confidence), col((r) => r.result.hash),
          jsonArray(col((r) => r.input)),
        ],
      );
    } catch (err) {
      // the rows are retried one by one: send their results again in case one was removed meanwhile
      for (const r of rows) known.delete(keyOf(r));
      throw err;
    }
    for (const k of results.keys()) known.set(k, true);
  }

  const queue = createWriteBehind<HistoryRow>(write, {
    maxBatch: 500,
    maxPending: 5_000,
    delayMs: 50,
    onError: (err, row) => {
      failures.inc();
      ctx.log.error({ err, diagnosisId: row.id, tenantId: row.tenantId }, 'diagnosis answered but not stored');
    },
  });
  beforeDbClose(ctx, () => queue.flush());
  return queue;
}

/** The history writer of this context: `push` a row, `flush` before reading or closing. */
export const diagnosisHistory = perContext(createHistory);

export interface HistoryEntry {
  id: string;
  createdAt: Date;
  source: string;
  rootCause: string;
  reason: string;
  confidence: number;
}

export async function listDiagnoses(
  ctx: AppContext,
  tenantId: string,
  q: { limit: number; before?: Date | undefined; rootCause?: string | undefined },
): Promise<HistoryEntry[]> {
  await diagnosisHistory(ctx).flush();
  const r = await ctx.db.query<HistoryEntry>(
    `SELECT id, created_at AS "createdAt", source, root_cause AS "rootCause", reason, confidence
     FROM diagnoses WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR created_at < $2) AND ($3::text IS NULL OR root_cause = $3)
     ORDER BY created_at DESC LIMIT $4`,
    [tenantId, q.before ?? null, q.rootCause ?? null, q.limit],
  );
  return r.rows;
}

export async function findDiagnosis(
  ctx: AppContext,
  tenantId: string,
  id: string,
): Promise<{ createdAt: Date; input: unknown; result: Record<string, unknown> } | null> {
  await diagnosisHistory(ctx).flush();
  const r = await ctx.db.query<{ input: unknown; result: Record<string, unknown>; shared: boolean; createdAt: Date }>(
    `SELECT d.input, COALESCE(d.result, r.result) AS result, d.result_hash IS NOT NULL AS shared, d.created_at AS "createdAt"
     FROM diagnoses d LEFT JOIN diagnosis_results r ON r.tenant_id = d.tenant_id AND r.hash = d.result_hash
     WHERE d.id = $1 AND d.tenant_id = $2`,
    [id, tenantId],
  );
  const row = r.rows[0];
  if (!row) return null;
  row.result ??= {}; // its result was removed by hand
  const ticket = row.result.ticket as { timestamp?: string | null } | undefined;
  if (row.shared && ticket && ticket.timestamp === null) ticket.timestamp = row.createdAt.toISOString();
  return { createdAt: row.createdAt, input: row.input, result: row.result };
}
