// Usage samples: stored per mailbox as a rolling window of packed (time, used) pairs.
import type { Queryable } from '../store/db.js';

export interface UsageSample {
  mailbox: string;
  usedBytes: number;
  quotaBytes: number;
  at: Date;
}

/** samples kept per mailbox (oldest dropped first): 4 months of daily samples */
export const MAX_SAMPLES = 120;
const PAIR = 16;

export function packSamples(pairs: Array<[number, number]>): Buffer {
  const buf = Buffer.allocUnsafe(pairs.length * PAIR);
  pairs.forEach(([at, used], i) => {
    buf.writeDoubleLE(at, i * PAIR);
    buf.writeDoubleLE(used, i * PAIR + 8);
  });
  return buf;
}

export function unpackSamples(buf: Uint8Array): { at: Float64Array; used: Float64Array } {
  const n = Math.floor(buf.byteLength / PAIR);
  const at = new Float64Array(n);
  const used = new Float64Array(n);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0; i < n; i++) {
    at[i] = view.getFloat64(i * PAIR, true);
    used[i] = view.getFloat64(i * PAIR + 8, true);
  }
  return { at, used };
}

/** Appends samples (any order, any number of mailboxes) in one statement. */
export async function storeUsage(db: Queryable, tenantId: string, samples: UsageSample[]): Promise<{ mailboxes: number; samples: number }> {
  const byMailbox = new Map<string, { pairs: Array<[number, number]>; quota: number; last: number }>();
  for (const s of samples) {
    const t = s.at.getTime();
    let m = byMailbox.get(s.mailbox);
    if (!m) byMailbox.set(s.mailbox, (m = { pairs: [], quota: s.quotaBytes, last: t }));
    m.pairs.push([t, s.usedBytes]);
    if (t >= m.last) {
      m.last = t;
      m.quota = s.quotaBytes;
    }
  }
  const mailboxes = [...byMailbox.keys()];
  const rows = [...byMailbox.values()];
  await db.query(
    `INSERT INTO mailbox_usage (tenant_id, mailbox, quota_bytes, samples, last_at)
     SELECT $1, m, q, decode(s, 'hex'), to_timestamp(l / 1000.0)
     FROM unnest($2::text[], $3::float8[], $4::text[], $5::float8[]) AS x(m, q, s, l)
     ON CONFLICT (tenant_id, mailbox) DO UPDATE SET
       samples = substring(mailbox_usage.samples || EXCLUDED.samples
                           FROM greatest(1, octet_length(mailbox_usage.samples || EXCLUDED.samples) - $6 + 1)),
       quota_bytes = CASE WHEN EXCLUDED.last_at >= mailbox_usage.last_at THEN EXCLUDED.quota_bytes ELSE mailbox_usage.quota_bytes END,
       last_at = greatest(mailbox_usage.last_at, EXCLUDED.last_at)`,
    [
      tenantId,
      mailboxes,
      rows.map((r) => r.quota),
      rows.map((r) => packSamples(r.pairs).toString('hex')),
      rows.map((r) => r.last),
      MAX_SAMPLES * PAIR,
    ],
  );
  return { mailboxes: mailboxes.length, samples: samples.length };
}

export interface MailboxWindow {
  mailbox: string;
  quotaBytes: number;
  samples: Uint8Array;
  alertActive: boolean;
}

/** One page of mailboxes (keyset on mailbox, after < mailbox ≤ upTo) with their alert state. */
export async function readUsagePage(
  db: Queryable,
  tenantId: string,
  after: string,
  limit: number,
  upTo: string | null = null,
): Promise<MailboxWindow[]> {
  // The state is looked up per row (an index probe each): a join would merge against every
  // alert state of the tenant on every page once many mailboxes have alerted.
  const r = await db.query<{ mailbox: string; quota_bytes: number; samples: Uint8Array; active: boolean | null }>(
    `SELECT u.mailbox, u.quota_bytes, u.samples,
            (SELECT s.active FROM alert_states s
              WHERE s.tenant_id = u.tenant_id AND s.kind = 'mailbox_quota' AND s.subject = u.mailbox) AS active
     FROM mailbox_usage u
     WHERE u.tenant_id = $1 AND u.mailbox > $2 AND ($4::text IS NULL OR u.mailbox <= $4)
     ORDER BY u.mailbox LIMIT $3`,
    [tenantId, after, limit, upTo],
  );
  return r.rows.map((row) => ({ mailbox: row.mailbox, quotaBytes: row.quota_bytes, samples: row.samples, alertActive: row.active === true }));
}

export async function readMailbox(db: Queryable, tenantId: string, mailbox: string): Promise<MailboxWindow | null> {
  const r = await db.query<{ mailbox: string; quota_bytes: number; samples: Uint8Array }>(
    'SELECT mailbox, quota_bytes, samples FROM mailbox_usage WHERE tenant_id = $1 AND mailbox = $2',
    [tenantId, mailbox],
  );
  const row = r.rows[0];
  return row ? { mailbox: row.mailbox, quotaBytes: row.quota_bytes, samples: row.samples, alertActive: false } : null;
}

/** Splits a tenant's mailboxes into about `shards` key ranges of equal size: [after, upTo]. */
export async function planShards(db: Queryable, tenantId: string, shards: number): Promise<Array<{ after: string; upTo: string | null }>> {
  const r = await db.query<{ upto: string }>(
    `SELECT max(mailbox) AS upto FROM (
       SELECT mailbox, ntile($2) OVER (ORDER BY mailbox) AS b FROM mailbox_usage WHERE tenant_id = $1
     ) x GROUP BY b ORDER BY 1`,
    [tenantId, Math.max(1, shards)],
  );
  const bounds = r.rows.map((row) => row.upto);
  // the last range stays open, so mailboxes added meanwhile are not missed
  return bounds.map((upTo, i) => ({ after: i === 0 ? '' : bounds[i - 1]!, upTo: i === bounds.length - 1 ? null : upTo }));
}
