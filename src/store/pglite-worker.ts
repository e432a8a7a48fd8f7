// The embedded PostgreSQL (PGlite) lives in this worker thread. PGlite is PostgreSQL compiled to
// WASM and runs every statement synchronously on the thread that calls it: in the API's thread a
// batch insert or a search would stop every request for its duration. Here it runs beside it, and
// pglite.ts forwards the Db calls as messages.
import { mkdirSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';

export type PgliteCall =
  | { id: number; op: 'query'; sql: string; params?: unknown[]; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  /** opens a transaction whose handle is this call's id */
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close' };

/** A PostgreSQL error's fields (code, detail, constraint, …) travel with its message. */
export type WireError = { message: string } & Record<string, string | number | undefined>;

/** id 0 answers the start: ready, or the error that stopped it */
export type PgliteReply = { id: number; rows?: unknown[]; rowCount?: number; error?: WireError };

export interface PgliteWorkerData { dataDir?: string }

// Same scalar parsing as the pg driver setup in postgres.ts: int8 as number, timestamps as Date.
const parsers = { [types.INT8]: (v: string) => Number(v), [types.NUMERIC]: (v: string) => Number(v) };

class Rollback extends Error {}

interface OpenTx {
  t: Transaction;
  end: (commit: boolean) => void;
  settled: Promise<unknown>;
}

/** A Buffer arrives as a plain Uint8Array (the structured clone drops its class), whose text is "104,105"
 * instead of its bytes: made a Buffer again (no copy), a parameter means its bytes as with the pg driver. */
const asBuffer = (v: unknown): unknown => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);

function toWire(err: unknown): WireError {
  if (!(err instanceof Error)) return { message: String(err) };
  const out: WireError = { message: err.message, name: err.name };
  for (const [k, v] of Object.entries(err)) if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  return out;
}

const port = parentPort;
if (port) {
  const { dataDir } = workerData as PgliteWorkerData;
  const reply = (r: PgliteReply): void => port.postMessage(r);
  try {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    const pg = await PGlite.create({ dataDir, extensions: { vector }, parsers });
    await pg.exec('CREATE EXTENSION IF NOT EXISTS vector;');
    const txs = new Map<number, OpenTx>();
    const on = (tx: number | undefined): Pick<Transaction, 'query' | 'exec'> => {
      if (tx === undefined) return pg;
      const open = txs.get(tx);
      if (!open) throw new Error('the transaction has already ended');
      return open.t;
    };
    const begin = (id: number): Promise<void> => new Promise((started, failed) => {
      let opened = false;
      const settled = pg.transaction((t) => new Promise<void>((done, abort) => {
        opened = true;
        txs.set(id, { t, end: (commit) => (commit ? done() : abort(new Rollback())), settled });
        started();
      }));
      settled.catch((err: unknown) => { if (!opened) failed(err); });
    });
    const handle = async (m: PgliteCall): Promise<Omit<PgliteReply, 'id'>> => {
      switch (m.op) {
        case 'query': {
          const r = await on(m.tx).query(m.sql, m.params?.map(asBuffer));
          // as the pg driver counts: rows returned by a query, rows changed by INSERT/UPDATE/DELETE
          // (PGlite's affectedRows is 0 for a SELECT)
          return { rows: r.rows, rowCount: r.fields.length ? r.rows.length : r.affectedRows ?? 0 };
        }
        case 'exec':
          await on(m.tx).exec(m.sql);
          return {};
        case 'begin':
          await begin(m.id);
          return {};
        case 'end': {
          const open = txs.get(m.tx);
          if (!open) return {};
          txs.delete(m.tx);
          open.end(m.commit);
          await open.settled.catch((err: unknown) => { if (!(err instanceof Rollback)) throw err; });
          return {};
        }
        case 'close':
          await pg.close();
          return {};
      }
    };
    port.on('message', (m: PgliteCall) => {
      handle(m).then((r) => reply({ id: m.id, ...r }), (err: unknown) => reply({ id: m.id, error: toWire(err) }));
    });
    reply({ id: 0 });
  } catch (err) {
    reply({ id: 0, error: toWire(err) });
  }
}
