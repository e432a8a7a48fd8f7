// The embedded PostgreSQL (PGlite) behind the Db interface. PGlite itself runs in a worker thread
// (pglite-worker.ts, which says why); each call here is one message there and one answer back.
import { Worker } from 'node:worker_threads';
import { workerUrl } from '../core/worker-url.js';
import type { Db, DbFeatures, Queryable, QueryResult } from './db.js';
import { DbUnavailableError } from './db.js';
import type { PgliteCall, PgliteReply, PgliteWorkerData, WireError } from './pglite-worker.js';

type Call = PgliteCall extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

/** The error as PostgreSQL reported it (message, code, detail, …). */
function fromWire(e: WireError): Error {
  const { message, name, ...fields } = e;
  return Object.assign(new Error(message), fields, name && name !== 'Error' ? { name } : {});
}

/** Embedded PostgreSQL (WASM). dataDir undefined = in memory (tests). */
export async function openPglite(dataDir?: string): Promise<Db> {
  const worker = new Worker(workerUrl(import.meta.url, 'pglite-worker'), { workerData: { dataDir } satisfies PgliteWorkerData });
  const pending = new Map<number, { resolve: (r: PgliteReply) => void; reject: (err: Error) => void }>();
  let nextId = 1;
  let gone: Error | null = null;
  const fail = (err: Error): void => {
    gone ??= err;
    for (const p of [...pending.values()]) p.reject(err);
  };
  const ready = new Promise<PgliteReply>((resolve, reject) => pending.set(0, {
    resolve: (r) => { pending.delete(0); resolve(r); },
    reject: (err) => { pending.delete(0); reject(err); },
  }));
  worker.on('message', (r: PgliteReply) => {
    const p = pending.get(r.id);
    if (!p) return;
    if (r.error) p.reject(fromWire(r.error));
    else p.resolve(r);
  });
  worker.on('error', (err) => fail(new DbUnavailableError(`the embedded database stopped: ${err.message}`)));
  worker.on('exit', () => fail(new DbUnavailableError('the embedded database is closed')));

  try {
    await ready;
  } catch (err) {
    await worker.terminate();
    throw new DbUnavailableError(`cannot open the embedded database${dataDir ? ` in ${dataDir}` : ''}: ${(err as Error).message}`);
  }

  // Like the in-thread PGlite before it, an idle database does not keep the process alive.
  worker.unref();
  const send = (c: Call, id = nextId++): Promise<PgliteReply> => new Promise((resolve, reject) => {
    if (gone) return reject(gone);
    if (pending.size === 0) worker.ref();
    pending.set(id, {
      resolve: (r) => { settle(id); resolve(r); },
      reject: (err) => { settle(id); reject(err); },
    });
    try {
      worker.postMessage({ ...c, id } as PgliteCall);
    } catch (err) {
      // a parameter that cannot be copied to the worker (a function, a symbol): this call fails alone
      pending.get(id)!.reject(err as Error);
    }
  });
  const settle = (id: number): void => {
    pending.delete(id);
    if (pending.size === 0) worker.unref();
  };
  // An error arrives in a message event, whose stack names none of the caller's code: it takes the
  // stack of this await instead, whose async frames lead back to the code that made the call.
  const call = async (c: Call, id?: number): Promise<PgliteReply> => {
    try {
      return await send(c, id);
    } catch (err) {
      if (err !== gone) Error.captureStackTrace(err as Error);
      throw err;
    }
  };
  const on = (tx?: number): Queryable => ({
    async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
      const r = await call({ op: 'query', sql, params, tx });
      return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
    },
    async exec(sql: string): Promise<void> {
      await call({ op: 'exec', sql, tx });
    },
  });
  const base = on();
  let closing: Promise<void> | undefined;
  const features: DbFeatures = { vector: true };
  return {
    kind: 'pglite',
    features,
    query: base.query,
    exec: base.exec,
    async tx(fn) {
      const tx = nextId++; // a transaction's handle is the id of the call that opened it
      await call({ op: 'begin' }, tx);
      let out;
      try {
        out = await fn(on(tx));
      } catch (err) {
        await call({ op: 'end', tx, commit: false }).catch(() => {});
        throw err;
      }
      await call({ op: 'end', tx, commit: true });
      return out;
    },
    ping: async () => {
      await call({ op: 'query', sql: 'select 1' });
    },
    // one close for every caller: a second 'close' would reach a PGlite that is already closing
    close: () => (closing ??= (async () => {
      if (gone) return;
      try {
        await call({ op: 'close' });
      } finally {
        await worker.terminate();
      }
    })()),
  };
}
