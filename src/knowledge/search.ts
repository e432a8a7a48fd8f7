// Retrieval: PostgreSQL full text over the pre-tokenized chunks (ts_rank_cd on an OR-query, title and
// heading matches weighted up), fused with pgvector nearest neighbours by reciprocal rank when
// embeddings are configured and the database has pgvector. One hit per article, best chunk first.
import type { Lang } from '../core/taxonomy.js';
import type { Db } from '../store/index.js';
import { createEmbedder, EmbeddingsError } from './embeddings.js';
import { cacheFor, hasVectorTable, type TokenStats } from './state.js';
import type { KbContext } from './sync.js';
import { embeddingsMeta } from './sync.js';
import { queryTokens, tokenize } from './tokenize.js';

export interface KbQuery {
  text: string;
  lang?: Lang;
  k?: number;
  /** only chunks of articles about this root cause */
  rootCause?: string;
}

export interface KbHit {
  articleId: string;
  lang: Lang;
  title: string;
  heading: string | null;
  anchor: string | null;
  snippet: string;
  score: number;
  rootCauses: string[];
  providers: string[];
}

export interface SearchOptions {
  /** 'fulltext' skips vectors even when they are available (evaluation, diagnostics) */
  mode?: 'auto' | 'fulltext';
}

// Tokens in more than this share of a language's chunks (邮件, email ...) say nothing about which
// article answers; dropping them keeps rankings sharp and the GIN scan short.
const MAX_DF_SHARE = 0.3;
const MAX_QUERY_TOKENS = 24;
// title/heading tokens carry weight A, body tokens D: {D, C, B, A}
const WEIGHTS = '{0.1, 0.2, 0.4, 1.0}';
const RRF_K = 60;

interface Row {
  id: number;
  article_id: string;
  lang: Lang;
  title: string;
  heading: string | null;
  anchor: string | null;
  content: string;
  root_causes: string[];
  providers: string[];
  score: number;
}

export async function searchKnowledge(ctx: KbContext, q: KbQuery, opts: SearchOptions = {}): Promise<KbHit[]> {
  const k = Math.max(1, Math.min(q.k ?? 5, 50));
  const tokens = queryTokens(q.text);
  if (!tokens.length) return [];
  const pool = k * 4 + 20; // several chunks per article compete; keep enough for k distinct articles
  const [fts, vec] = await Promise.all([
    fullText(ctx.db, await pickTokens(ctx.db, tokens, q.lang), q, pool),
    opts.mode === 'fulltext' ? null : vectorSearch(ctx, q, pool),
  ]);
  const ranked = vec ? fuse([fts, vec]) : fts;
  const seen = new Set<string>();
  const hits: KbHit[] = [];
  for (const r of ranked) {
    const id = `${r.article_id}/${r.lang}`;
    if (seen.has(id)) continue;
    seen.add(id);
    hits.push({
      articleId: r.article_id,
      lang: r.lang,
      title: r.title,
      heading: r.heading,
      anchor: r.anchor,
      snippet: snippet(r.content, tokens),
      score: Number(r.score.toFixed(6)),
      rootCauses: r.root_causes,
      providers: r.providers,
    });
    if (hits.length === k) break;
  }
  return hits;
}

/** Informative tokens only: unknown ones cannot match, very common ones cannot discriminate. */
async function pickTokens(db: Db, tokens: string[], lang?: Lang): Promise<string[]> {
  const stats = await tokenStats(db);
  const langs: Lang[] = lang ? [lang] : ['zh', 'en'];
  const share = (t: string) => Math.max(...langs.map((l) => (stats.df[l].get(t) ?? 0) / Math.max(1, stats.total[l])));
  const known = tokens.filter((t) => share(t) > 0).sort((a, b) => share(a) - share(b));
  const useful = known.filter((t) => share(t) <= MAX_DF_SHARE);
  return (useful.length ? useful : known.slice(0, 2)).slice(0, MAX_QUERY_TOKENS);
}

export function tokenStats(db: Db): Promise<TokenStats> {
  const c = cacheFor(db);
  if (!c.stats) {
    c.stats = loadStats(db);
    c.stats.catch(() => (c.stats = undefined));
  }
  return c.stats;
}

async function loadStats(db: Db): Promise<TokenStats> {
  const stats: TokenStats = { df: { zh: new Map(), en: new Map() }, total: { zh: 0, en: 0 } };
  for (const lang of ['zh', 'en'] as const) {
    // ts_stat takes the query as text: the language is a literal from this list, never user input.
    const rows = await db.query<{ word: string; ndoc: number }>(
      `SELECT word, ndoc FROM ts_stat('SELECT tsv FROM kb_chunks WHERE lang = ''${lang}''')`,
    );
    for (const r of rows.rows) stats.df[lang].set(r.word, Number(r.ndoc));
    const n = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM kb_chunks WHERE lang = $1', [lang]);
    stats.total[lang] = n.rows[0]?.n ?? 0;
  }
  return stats;
}

/** A tsquery literal ORing the tokens; each is quoted, so no operator in user text survives. */
export function orQuery(tokens: string[]): string {
  return tokens.map((t) => `'${t.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' | ');
}

const COLUMNS = `c.id, c.article_id, c.lang, a.title, c.heading, c.anchor, c.content, c.root_causes, c.providers`;
const FILTERS = `($2::text IS NULL OR c.lang = $2) AND ($3::text IS NULL OR $3 = ANY (c.root_causes))`;

async function fullText(db: Db, tokens: string[], q: KbQuery, limit: number): Promise<Row[]> {
  if (!tokens.length) return [];
  const r = await db.query<Row>(
    `SELECT ${COLUMNS}, ts_rank_cd('${WEIGHTS}'::float4[], c.tsv, query, 1) AS score
       FROM kb_chunks c JOIN kb_articles a ON a.id = c.article_id AND a.lang = c.lang, CAST($1 AS tsquery) query
      WHERE c.tsv @@ query AND ${FILTERS}
      ORDER BY score DESC, c.id LIMIT $4`,
    [orQuery(tokens), q.lang ?? null, q.rootCause ?? null, limit],
  );
  return r.rows;
}

/** Nearest chunks by cosine distance; null when vectors are unavailable (full text carries on alone). */
async function vectorSearch(ctx: KbContext, q: KbQuery, limit: number): Promise<Row[] | null> {
  const embedder = createEmbedder(ctx.config);
  if (!embedder || !(await hasVectorTable(ctx.db))) return null;
  const meta = await embeddingsMeta(ctx.db);
  if (!meta || meta.model !== embedder.model) return null; // not yet re-embedded for this model
  let vector: number[];
  try {
    [vector] = (await embedder.embed([q.text.slice(0, 4000)], { fast: true })) as [number[]];
  } catch (err) {
    if (!(err instanceof EmbeddingsError)) throw err;
    ctx.log.warn({ err: err.message }, 'knowledge: query embedding failed, full-text results only');
    return null;
  }
  const r = await ctx.db.query<Row>(
    `SELECT ${COLUMNS}, 1 - (e.embedding <=> $1::vector) AS score
       FROM kb_embeddings e JOIN kb_chunks c ON c.id = e.chunk_id
       JOIN kb_articles a ON a.id = c.article_id AND a.lang = c.lang
      WHERE e.model = $5 AND e.dim = $6 AND ${FILTERS}
      ORDER BY e.embedding <=> $1::vector, c.id LIMIT $4`,
    [`[${vector.join(',')}]`, q.lang ?? null, q.rootCause ?? null, limit, embedder.model, vector.length],
  );
  return r.rows;
}

/** Reciprocal rank fusion: a chunk ranked high by either list rises; scores are not comparable, ranks are. */
function fuse(lists: Row[][]): Row[] {
  const byId = new Map<number, Row>();
  for (const list of lists) {
    list.forEach((row, rank) => {
      const prev = byId.get(row.id);
      const add = 1 / (RRF_K + rank + 1);
      byId.set(row.id, { ...(prev ?? row), score: (prev ? prev.score : 0) + add });
    });
  }
  return [...byId.values()].sort((a, b) => b.score - a.score || a.id - b.id);
}

const SNIPPET_MAX = 240;

/** The sentence or list line sharing most tokens with the question, without Markdown marks. */
export function snippet(content: string, queryToks: string[]): string {
  const wanted = new Set(queryToks);
  const parts = content
    .split(/\n+|(?<=[。！？；])|(?<=[.!?;])\s+/u)
    .map((p) => p.replace(/^\s*(?:[-*+]|\d+\.)\s+/, '').replace(/[`*_]+/g, '').replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  let best = parts[0] ?? '';
  let bestScore = -1;
  for (const p of parts) {
    const score = new Set(tokenize(p).filter((t) => wanted.has(t))).size;
    if (score > bestScore) {
      best = p;
      bestScore = score;
    }
  }
  return best.length > SNIPPET_MAX ? `${best.slice(0, SNIPPET_MAX - 1)}…` : best;
}
