// Brings the index in line with knowledge/: new and changed articles are re-chunked (their chunks and
// vectors replaced), removed ones deleted, unchanged ones untouched (compared by content hash). Then
// every chunk without a vector for the configured model is embedded; a model or dimension change
// first deletes all vectors, so an index never mixes two models.
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db, Queryable } from '../store/index.js';
import { loadArticles, type Article } from './articles.js';
import { chunkArticle, type Chunk } from './chunk.js';
import { createEmbedder, EmbeddingsError, type Embedder } from './embeddings.js';
import { hasVectorTable, invalidate } from './state.js';
import { tokenize } from './tokenize.js';

/** What the knowledge functions need from the app context (the CLI builds it without a job queue). */
export interface KbContext {
  config: Config;
  db: Db;
  log: Logger;
}

export interface SyncResult {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  embedded: number;
  /** why vectors are missing, when embeddings are configured but could not be made */
  embeddingError?: string;
}

const LOCK_KEY = 727_004;

export async function syncKnowledge(ctx: KbContext, opts: { dir?: string } = {}): Promise<SyncResult> {
  const dir = resolve(opts.dir ?? ctx.config.KNOWLEDGE_DIR);
  const articles = loadArticles(dir);
  const known = await hashes(ctx.db);
  const changed = articles.filter((a) => known.get(key(a)) !== a.hash);
  const prepared = await Promise.all(changed.map(async (a) => ({ article: a, chunks: await chunkArticle(a.body, a.lang) })));
  const present = new Set(articles.map(key));

  const counts = { added: 0, updated: 0, removed: 0, unchanged: articles.length - changed.length };
  if (prepared.length || [...known.keys()].some((k) => !present.has(k))) {
    await ctx.db.tx(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      // Re-read under the lock: another process may have synced the same files meanwhile.
      const now = await hashes(q);
      for (const k of now.keys()) {
        if (present.has(k)) continue;
        const [id, lang] = k.split('/');
        await q.query('DELETE FROM kb_articles WHERE id = $1 AND lang = $2', [id, lang]);
        counts.removed++;
      }
      for (const { article, chunks } of prepared) {
        const before = now.get(key(article));
        if (before === article.hash) {
          counts.unchanged++;
          continue;
        }
        await writeArticle(q, article, chunks);
        if (before === undefined) counts.added++;
        else counts.updated++;
      }
    });
    invalidate(ctx.db);
  }
  const result: SyncResult = { ...counts, embedded: 0 };
  const embedder = createEmbedder(ctx.config);
  if (embedder && (await hasVectorTable(ctx.db))) {
    try {
      result.embedded = await embedMissing(ctx, embedder);
    } catch (err) {
      if (!(err instanceof EmbeddingsError)) throw err;
      // Full-text search still works; the next sync embeds what is missing.
      result.embeddingError = err.message;
      ctx.log.warn({ err: err.message }, 'knowledge: embeddings unavailable, vectors left for the next sync');
    }
  }
  ctx.log.info(result, 'knowledge base synced');
  return result;
}

const key = (a: { id: string; lang: string }) => `${a.id}/${a.lang}`;

async function hashes(q: Queryable): Promise<Map<string, string>> {
  const rows = (await q.query<{ id: string; lang: string; hash: string }>('SELECT id, lang, hash FROM kb_articles')).rows;
  return new Map(rows.map((r) => [key(r), r.hash]));
}

async function writeArticle(q: Queryable, a: Article, chunks: Chunk[]): Promise<void> {
  await q.query('DELETE FROM kb_articles WHERE id = $1 AND lang = $2', [a.id, a.lang]);
  await q.query(
    `INSERT INTO kb_articles (id, lang, title, root_causes, providers, updated, sources, body, path, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [a.id, a.lang, a.title, a.rootCauses, a.providers, a.updated, a.sources, a.body, a.path, a.hash],
  );
  const titleTokens = tokenize(a.title);
  for (const c of chunks) {
    const head = c.heading ? [...titleTokens, ...tokenize(c.heading)] : titleTokens;
    await q.query(
      `INSERT INTO kb_chunks (article_id, lang, ord, heading, anchor, content, head_tokens, tokens, root_causes, providers)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [a.id, a.lang, c.ord, c.heading, c.anchor, c.content, head.join(' '), tokenize(c.content).join(' '), a.rootCauses, a.providers],
    );
  }
}

export interface EmbeddingsMeta {
  model: string;
  dim: number | null;
}

/** The text a chunk is embedded as: where it sits in the article helps the vector. */
export const embeddingText = (title: string, heading: string | null, content: string) =>
  `${title}${heading ? ` — ${heading}` : ''}\n${content}`;

async function embedMissing(ctx: KbContext, embedder: Embedder, retried = false): Promise<number> {
  const { db } = ctx;
  let meta = await embeddingsMeta(db);
  if (meta && (meta.model !== embedder.model || (embedder.dim !== null && meta.dim !== null && meta.dim !== embedder.dim))) {
    ctx.log.info({ from: meta, to: { model: embedder.model, dim: embedder.dim } }, 'knowledge: embeddings model changed, re-embedding everything');
    await resetVectors(db, { model: embedder.model, dim: embedder.dim });
    meta = { model: embedder.model, dim: embedder.dim };
  }
  if (!meta) {
    meta = { model: embedder.model, dim: embedder.dim };
    await writeMeta(db, meta);
  }
  const missing = (
    await db.query<{ id: number; title: string; heading: string | null; content: string }>(
      `SELECT c.id, a.title, c.heading, c.content
         FROM kb_chunks c JOIN kb_articles a ON a.id = c.article_id AND a.lang = c.lang
         LEFT JOIN kb_embeddings e ON e.chunk_id = c.id
        WHERE e.chunk_id IS NULL ORDER BY c.id`,
    )
  ).rows;
  let embedded = 0;
  const BATCH = 64;
  for (let i = 0; i < missing.length; i += BATCH) {
    const batch = missing.slice(i, i + BATCH);
    const vectors = await embedder.embed(batch.map((c) => embeddingText(c.title, c.heading, c.content)));
    const dim = vectors[0]!.length;
    if (meta.dim === null) {
      meta = { ...meta, dim };
      await writeMeta(db, meta);
    } else if (meta.dim !== dim) {
      // The server now answers with another dimension under the same model name: start over cleanly.
      if (retried) throw new EmbeddingsError(`embeddings server keeps changing dimension (${meta.dim}, ${dim})`);
      ctx.log.info({ from: meta.dim, to: dim }, 'knowledge: embeddings dimension changed, re-embedding everything');
      await resetVectors(db, { model: meta.model, dim });
      return embedMissing(ctx, embedder, true);
    }
    await db.tx(async (q) => {
      for (const [j, c] of batch.entries()) {
        await q.query(
          `INSERT INTO kb_embeddings (chunk_id, model, dim, embedding) VALUES ($1, $2, $3, $4::vector)
           ON CONFLICT (chunk_id) DO UPDATE SET model = EXCLUDED.model, dim = EXCLUDED.dim, embedding = EXCLUDED.embedding`,
          [c.id, meta!.model, dim, `[${vectors[j]!.join(',')}]`],
        );
      }
    });
    embedded += batch.length;
  }
  return embedded;
}

/** The embeddings model and dimension the stored vectors were made with (null: none yet). */
export async function embeddingsMeta(db: Queryable): Promise<EmbeddingsMeta | null> {
  const r = await db.query<{ value: EmbeddingsMeta }>("SELECT value FROM kb_meta WHERE key = 'embeddings'");
  return r.rows[0]?.value ?? null;
}

async function writeMeta(q: Queryable, meta: EmbeddingsMeta): Promise<void> {
  await q.query(
    `INSERT INTO kb_meta (key, value) VALUES ('embeddings', $1::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [JSON.stringify(meta)],
  );
}

async function resetVectors(db: Db, meta: EmbeddingsMeta): Promise<void> {
  await db.tx(async (q) => {
    await q.query('DELETE FROM kb_embeddings');
    await writeMeta(q, meta);
  });
}
