import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './db.js';

export type Role = 'admin' | 'agent';

export interface Tenant {
  id: string;
  name: string;
  settings: Record<string, unknown>;
}

export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  prefix: string;
  role: Role;
  label: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export async function createTenant(db: Queryable, id: string, name = id): Promise<Tenant> {
  const r = await db.query<Tenant>(
    `INSERT INTO tenants (id, name) VALUES ($1, $2)
     ON CONFLICT (id) DO UPDATE SET name = tenants.name RETURNING id, name, settings`,
    [id, name],
  );
  return r.rows[0]!;
}

export async function getTenant(db: Queryable, id: string): Promise<Tenant | null> {
  const r = await db.query<Tenant>('SELECT id, name, settings FROM tenants WHERE id = $1', [id]);
  return r.rows[0] ?? null;
}

export async function countTenants(db: Queryable): Promise<number> {
  const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tenants');
  return r.rows[0]!.n;
}

/** Merges keys into the tenant's settings (support hours, webhooks, SMTP ...). */
export async function updateTenantSettings(db: Queryable, id: string, patch: Record<string, unknown>): Promise<Tenant | null> {
  const r = await db.query<Tenant>(
    `UPDATE tenants SET settings = settings || $2::jsonb WHERE id = $1 RETURNING id, name, settings`,
    [id, JSON.stringify(patch)],
  );
  return r.rows[0] ?? null;
}

// Keys are 32 random bytes: a fast hash is enough (no dictionary to brute-force), and lookups stay O(1).
const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

const KEY_COLUMNS = `id, tenant_id AS "tenantId", prefix, role, label, created_at AS "createdAt",
  last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

/** Creates a key; the plain key is returned once and never stored. */
export async function createApiKey(
  db: Queryable,
  tenantId: string,
  role: Role,
  label: string | null = null,
): Promise<{ key: string; record: ApiKeyRecord }> {
  const key = `mm_${randomBytes(24).toString('base64url')}`;
  const r = await db.query<ApiKeyRecord>(
    `INSERT INTO api_keys (tenant_id, prefix, key_hash, role, label) VALUES ($1, $2, $3, $4, $5)
     RETURNING ${KEY_COLUMNS}`,
    [tenantId, key.slice(0, 10), hashKey(key), role, label],
  );
  return { key, record: r.rows[0]! };
}

export async function findActiveKey(db: Queryable, key: string): Promise<ApiKeyRecord | null> {
  const r = await db.query<ApiKeyRecord>(
    `UPDATE api_keys SET last_used_at = now()
     WHERE key_hash = $1 AND revoked_at IS NULL RETURNING ${KEY_COLUMNS}`,
    [hashKey(key)],
  );
  return r.rows[0] ?? null;
}

export async function touchApiKey(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [id]);
}

export async function listApiKeys(db: Queryable, tenantId?: string): Promise<ApiKeyRecord[]> {
  const r = tenantId
    ? await db.query<ApiKeyRecord>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE tenant_id = $1 ORDER BY created_at`, [tenantId])
    : await db.query<ApiKeyRecord>(`SELECT ${KEY_COLUMNS} FROM api_keys ORDER BY tenant_id, created_at`);
  return r.rows;
}

/** Revokes by id or by the shown prefix. Returns false when nothing matched. */
export async function revokeApiKey(db: Queryable, idOrPrefix: string): Promise<boolean> {
  const isUuid = /^[0-9a-f-]{36}$/i.test(idOrPrefix);
  const r = await db.query(
    `UPDATE api_keys SET revoked_at = now() WHERE ${isUuid ? 'id = $1::uuid' : 'prefix = $1'} AND revoked_at IS NULL`,
    [idOrPrefix],
  );
  return r.rowCount > 0;
}
