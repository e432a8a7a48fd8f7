import pg from 'pg';
import type { Db, DbFeatures, Queryable, QueryResult } from './db.js';
import { DbUnavailableError } from './db.js';

pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export async function openPostgres(url: string, poolSize: number): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  try {
    await pool.query('select 1');
  } catch (err) {
    await pool.end().catch(() => {});
    throw new DbUnavailableError(`cannot connect to DATABASE_URL: ${(err as Error).message}`);
  }
  const features: DbFeatures = { vector: await enableVector(pool) };
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
      const r = await q.query(sql, params as unknown[]);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await q.query(sql); // no parameters: simple protocol, several statements allowed
    },
  });
  const base = wrap(pool);
  return {
    kind: 'postgres',
    features,
    query: base.query,
    exec: base.exec,
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(wrap(client));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    ping: async () => {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}

/** pgvector is optional on a server: enable it when installed, report its absence otherwise. */
async function enableVector(pool: pg.Pool): Promise<boolean> {
  const available = await pool.query("select 1 from pg_available_extensions where name = 'vector'");
  if (available.rowCount === 0) return false;
  try {
    await pool.query('CREATE EXTENSION IF NOT EXISTS vector');
    return true;
  } catch {
    return false; // installed but we lack the privilege to create it
  }
}
