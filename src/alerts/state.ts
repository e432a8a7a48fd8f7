// The exactly-once rule: an alert is created only by the transition inactive → active of its
// (kind, subject) state, in the same statement that inserts it. Re-runs, retries, restarts and two
// workers racing all see the state already active and create nothing; a recovery clears the state,
// so the next crossing alerts again with the next episode.
import type { Queryable } from '../store/db.js';

export interface AlertCandidate {
  subject: string;
  severity: 'info' | 'warning' | 'critical';
  message: { zh: string; en: string };
  details: Record<string, unknown>;
}

export interface RaisedAlert {
  id: string;
  subject: string;
}

export async function raiseAlerts(q: Queryable, tenantId: string, kind: string, items: AlertCandidate[]): Promise<RaisedAlert[]> {
  if (!items.length) return [];
  const r = await q.query<RaisedAlert>(
    `WITH c AS (
       SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS c(subject, severity, message, details)
     ), t AS (
       INSERT INTO alert_states AS s (tenant_id, kind, subject, active, episode, changed_at)
       SELECT $1, $2, c.subject, true, 1, now() FROM c
       ON CONFLICT (tenant_id, kind, subject) DO UPDATE
         SET active = true, episode = s.episode + 1, changed_at = now()
         WHERE NOT s.active
       RETURNING subject, episode
     )
     INSERT INTO alerts (tenant_id, kind, subject, episode, severity, message, details)
     SELECT $1, $2, t.subject, t.episode, c.severity, c.message::jsonb, c.details::jsonb
     FROM t JOIN c ON c.subject = t.subject
     ON CONFLICT (tenant_id, kind, subject, episode) DO NOTHING
     RETURNING id, subject`,
    [
      tenantId,
      kind,
      items.map((i) => i.subject),
      items.map((i) => i.severity),
      items.map((i) => JSON.stringify(i.message)),
      items.map((i) => JSON.stringify(i.details)),
    ],
  );
  return r.rows;
}

/** The condition no longer holds: clear the state and resolve the open alert. */
export async function clearAlerts(q: Queryable, tenantId: string, kind: string, subjects: string[]): Promise<number> {
  if (!subjects.length) return 0;
  const r = await q.query(
    `WITH cleared AS (
       UPDATE alert_states SET active = false, changed_at = now()
       WHERE tenant_id = $1 AND kind = $2 AND subject = ANY($3::text[]) AND active
       RETURNING subject
     )
     UPDATE alerts a SET status = 'resolved', resolved_at = now()
     FROM cleared WHERE a.tenant_id = $1 AND a.kind = $2 AND a.subject = cleared.subject AND a.status <> 'resolved'`,
    [tenantId, kind, subjects],
  );
  return r.rowCount;
}
