import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, type Db } from '../../src/store/index.js';
import { createApiKey, createTenant, findActiveKey, listApiKeys, revokeApiKey } from '../../src/store/tenants.js';
import { DB_BACKENDS, openTestDb } from '../helpers/backends.js';

describe.each(DB_BACKENDS)('store on %s', (backend) => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb(backend, { migrated: false });
  });
  afterAll(() => db.close());

  it('applies every migration once and is idempotent', async () => {
    const first = await migrate(db);
    expect(first.applied).toContain('001_foundation');
    const second = await migrate(db);
    expect(second.applied).toEqual([]);
    const tables = await db.query<{ t: string }>(
      `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema()`,
    );
    expect(tables.rows.map((r) => r.t)).toEqual(expect.arrayContaining(['tenants', 'api_keys', 'diagnoses', 'schema_migrations']));
  });

  it('reports pgvector as the database has it (PGlite yes; this PostgreSQL may not)', () => {
    if (backend === 'pglite') expect(db.features.vector).toBe(true);
    else expect(typeof db.features.vector).toBe('boolean');
  });

  it('leaves a vector-only migration pending where pgvector is absent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-mig-'));
    writeFileSync(join(dir, '900_plain.sql'), 'CREATE TABLE t900 (id int);');
    writeFileSync(join(dir, '901_vec.sql'), '-- requires: vector\nCREATE TABLE t901 (v vector);');
    const r = await migrate({ ...db, features: { vector: false } }, dir);
    expect(r.applied).toEqual(['900_plain']);
    expect(r.skipped).toEqual([{ version: '901_vec', reason: 'pgvector is not available' }]);
  });

  it('rolls back a failing migration as a whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-mig-'));
    writeFileSync(join(dir, '910_bad.sql'), 'CREATE TABLE t910 (id int); SELECT nope FROM nowhere;');
    await expect(migrate(db, dir)).rejects.toThrow(/910_bad.sql failed/);
    const t = await db.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 't910'`);
    expect(t.rowCount).toBe(0);
  });

  it('stores API keys hashed and shows only a prefix', async () => {
    await createTenant(db, 'acme');
    const { key, record } = await createApiKey(db, 'acme', 'agent', 'bot');
    expect(key.startsWith(record.prefix)).toBe(true);
    const raw = await db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE id = $1', [record.id]);
    expect(raw.rows[0]!.key_hash).not.toContain(key);
    expect((await findActiveKey(db, key))?.tenantId).toBe('acme');
    expect(await findActiveKey(db, `${key}x`)).toBeNull();
    expect(await revokeApiKey(db, record.prefix)).toBe(true);
    expect(await findActiveKey(db, key)).toBeNull();
    expect((await listApiKeys(db, 'acme'))[0]!.revokedAt).toBeInstanceOf(Date);
  });

  it('rolls back transactions that throw', async () => {
    await expect(
      db.tx(async (q) => {
        await q.query(`INSERT INTO tenants (id, name) VALUES ('tx1', 'tx1')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await db.query(`SELECT 1 FROM tenants WHERE id = 'tx1'`)).rowCount).toBe(0);
  });
});
