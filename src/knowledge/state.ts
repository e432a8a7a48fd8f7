// Per-database, per-process caches of things derived from the index (token statistics, reference
// lists). A sync in this process clears them at once; a sync in another process is picked up after TTL.
import type { Db } from '../store/index.js';
import type { Reference } from '../core/diagnosis.js';

const TTL_MS = 60_000;

export interface TokenStats {
  /** per language: token → number of chunks holding it, and the chunk count */
  df: Record<'zh' | 'en', Map<string, number>>;
  total: Record<'zh' | 'en', number>;
}

interface Cache {
  at: number;
  stats?: Promise<TokenStats>;
  /** articles cited for (rootCause, lang, provider), and which of them are provider-specific */
  refs: Map<string, Promise<{ list: Reference[]; specific: Set<string> }>>;
  /** sections (with their tokens) of the articles about (rootCause, lang), keyed by article id */
  sections: Map<string, Promise<Map<string, { anchor: string | null; tokens: Set<string>; sentences: { text: string; tokens: Set<string> }[] }[]>>>;
  vectors?: Promise<boolean>;
}

const caches = new WeakMap<Db, Cache>();

export function cacheFor(db: Db): Cache {
  let c = caches.get(db);
  if (!c || Date.now() - c.at > TTL_MS) {
    c = { at: Date.now(), refs: new Map(), sections: new Map(), vectors: c?.vectors };
    caches.set(db, c);
  }
  return c;
}

export function invalidate(db: Db): void {
  caches.delete(db);
}

/** The embeddings table exists only where pgvector is installed and migration 003 ran. */
export function hasVectorTable(db: Db): Promise<boolean> {
  const c = cacheFor(db);
  c.vectors ??= db.features.vector
    ? db
        .query<{ ok: boolean }>("SELECT to_regclass('kb_embeddings') IS NOT NULL AS ok")
        .then((r) => r.rows[0]?.ok === true)
    : Promise.resolve(false);
  return c.vectors;
}
