import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, type Db, type Queryable } from '../../src/store/index.js';
import { createApiKey, createTenant, findActiveKey, listApiKeys, revokeApiKey } from '../../src/store/tenants.js';
import { openPglite } from '../../src/store/pglite.js';
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

  it('commits a transaction, and a statement outside it sees its rows only after the commit', async () => {
    let outside: Promise<number> | undefined;
    const inside = await db.tx(async (q) => {
      await q.query(`INSERT INTO tenants (id, name) VALUES ('tx2', 'tx2')`);
      outside = db.query(`SELECT 1 FROM tenants WHERE id = 'tx2'`).then((r) => r.rowCount);
      return (await q.query(`SELECT 1 FROM tenants WHERE id = 'tx2'`)).rowCount;
    });
    expect(inside).toBe(1);
    // PGlite has one session: the outside statement waits for the commit; PostgreSQL's runs
    // meanwhile on another connection and may or may not see the row (either is right there)
    if (backend === 'pglite') expect(await outside).toBe(1);
    else await outside;
    expect((await db.query(`SELECT 1 FROM tenants WHERE id = 'tx2'`)).rowCount).toBe(1);
  });

  it("reports PostgreSQL's error fields (code, constraint) to the caller", async () => {
    await db.query(`INSERT INTO tenants (id, name) VALUES ('dup', 'dup') ON CONFLICT DO NOTHING`);
    const err = await db.query(`INSERT INTO tenants (id, name) VALUES ('dup', 'dup')`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: '23505', constraint: 'tenants_pkey' });
    expect((err as Error).message).toMatch(/duplicate key/);
    // Uint8Array and Date parameters arrive as such
    const r = await db.query<{ n: number; d: Date }>(`SELECT length($1::bytea) AS n, $2::timestamptz AS d`, [Buffer.from('abc'), new Date(0)]);
    expect(r.rows[0]).toEqual({ n: 3, d: new Date(0) });
  });

  it("raises a database error with the stack of the code that made the call", async () => {
    async function insertTheSameTenantTwice(q: Queryable): Promise<void> {
      await q.query(`INSERT INTO tenants (id, name) VALUES ('stack', 'stack') ON CONFLICT DO NOTHING`);
      await q.query(`INSERT INTO tenants (id, name) VALUES ('stack', 'stack')`);
    }
    const plain = await insertTheSameTenantTwice(db).catch((e: unknown) => e);
    expect((plain as Error).stack).toContain('insertTheSameTenantTwice');
    const inTx = await db.tx((q) => insertTheSameTenantTwice(q)).catch((e: unknown) => e);
    expect(inTx).toMatchObject({ code: '23505' });
    expect((inTx as Error).stack).toContain('insertTheSameTenantTwice');
  });

  it('passes a Buffer parameter as its bytes, to bytea and to text alike', async () => {
    const r = await db.query<{ b: Uint8Array; t: string }>(`SELECT $1::bytea AS b, $2::text AS t`, [Buffer.from('héllo'), Buffer.from('héllo')]);
    expect(Buffer.from(r.rows[0]!.b).toString()).toBe('héllo');
    expect(r.rows[0]!.t).toBe('héllo');
  });
});

const run = promisify(execFile);

describe('embedded database (PGlite) in its worker thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailmedic-pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps the caller's thread free while a long statement runs", async () => {
    const db = await openPglite();
    try {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const t0 = performance.now();
      const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM generate_series(1, 3000000)');
      const ms = performance.now() - t0;
      clearInterval(timer);
      expect(r.rows[0]!.n).toBe(3_000_000);
      // in the caller's thread the statement would let no timer run until it returned
      expect(ms).toBeGreaterThan(50);
      expect(ticks).toBeGreaterThanOrEqual(Math.floor(ms / 5 / 4));
    } finally {
      await db.close();
    }
  });

  it('keeps its data in the data directory across a restart, and says so when used after close', async () => {
    const first = await openPglite(dir);
    await first.exec('CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$still here$$)');
    await first.close();
    await expect(first.query('SELECT 1')).rejects.toThrow(/embedded database is closed/);
    const again = await openPglite(dir);
    try {
      expect((await again.query<{ v: string }>('SELECT v FROM kept')).rows).toEqual([{ v: 'still here' }]);
    } finally {
      await again.close();
    }
  });

  it('closes once when close() is called twice at the same time', async () => {
    const db = await openPglite();
    await expect(Promise.all([db.close(), db.close()])).resolves.toEqual([undefined, undefined]);
    await expect(db.close()).resolves.toBeUndefined();
    await expect(db.ping()).rejects.toThrow(/embedded database is closed/);
  });

  it('fails a call whose parameters cannot reach the worker, and stays usable', async () => {
    const db = await openPglite();
    try {
      await expect(db.query('SELECT $1::text AS v', [() => 1])).rejects.toThrow(/could not be cloned/);
      expect((await db.query<{ v: string }>('SELECT $1::text AS v', ['ok'])).rows).toEqual([{ v: 'ok' }]);
    } finally {
      await db.close();
    }
  });

  it('does not keep a process alive once no call is waiting (even after a failed one)', async () => {
    const script = `
      import { openPglite } from ${JSON.stringify(new URL('../../src/store/pglite.ts', import.meta.url).href)};
      const db = await openPglite();
      await db.query('SELECT $1::text', [() => 1]).catch(() => {});
      console.log((await db.query('SELECT 41 + 1 AS n')).rows[0].n);
      // no close(): the process must still end`;
    const t0 = Date.now();
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 60_000 });
    expect(stdout.trim()).toBe('42');
    expect(Date.now() - t0).toBeLessThan(60_000);
  });

  it('refuses a data directory it cannot use with a clear error', async () => {
    const notDir = join(dir, 'a-file');
    writeFileSync(notDir, 'x');
    await expect(openPglite(join(notDir, 'pglite'))).rejects.toThrow(/cannot open the embedded database in .*a-file\/pglite/);
  });
});
