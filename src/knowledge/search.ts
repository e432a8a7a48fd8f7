// Retrieval: PostgreSQL full text over the pre-tokenized chunks (ts_rank_cd on an OR-query, title and
// heading matches weighted up), fused with pgvector nearest neighbours by reciprocal rank when
// embeddings are configured and the database has pgvector. One hit per article, best chunk first.
import type { Lang } from '../core/taxonomy.js';
import type { Db } from '../store/index.js';
import { embedderFor, EmbeddingsError } from './embeddings.js';
import { cacheFor, hasVectorTable, type TokenStats } from './state.js';
import type { KbContext } from './sync.js';
import { embeddingsMeta } from './sync.js';
import { queryTokens, surfaces } from './tokenize.js';

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
const RANK_CD_WEIGHT = 1;
// At most about this many chunks are scored per search (more only when even the rarest token is common).
const CANDIDATE_BUDGET = 400;

/** One article's best chunk in a ranking. */
interface Ranked {
  id: number;
  article_id: string;
  lang: Lang;
  score: number;
}

interface Detail {
  id: number;
  article_id: string;
  lang: Lang;
  title: string;
  heading: string | null;
  anchor: string | null;
  content: string;
  root_causes: string[];
  providers: string[];
}

export async function searchKnowledge(ctx: KbContext, q: KbQuery, opts: SearchOptions = {}): Promise<KbHit[]> {
  const k = Math.max(1, Math.min(q.k ?? 5, 50));
  const tokens = queryTokens(q.text);
  if (!tokens.length) return [];
  // Rankings hold article ids and scores only; text is read for the final k.
  const [fts, vec] = await Promise.all([
    fullText(ctx.db, await pickTerms(ctx.db, tokens, q.lang), q, k),
    opts.mode === 'fulltext' ? null : vectorSearch(ctx, q, k),
  ]);
  const ranked = (vec ? fuse([fts, vec]) : fts).slice(0, k);
  if (!ranked.length) return [];
  const details = new Map(
    (
      await ctx.db.query<Detail>(
        `SELECT c.id, c.article_id, c.lang, a.title, c.heading, c.anchor, c.content, c.root_causes, c.providers
           FROM kb_chunks c JOIN kb_articles a ON a.id = c.article_id AND a.lang = c.lang
          WHERE c.id = ANY ($1::bigint[])`,
        [ranked.map((r) => r.id)],
      )
    ).rows.map((d) => [d.id, d]),
  );
  return ranked.flatMap((r) => {
    const d = details.get(r.id);
    if (!d) return []; // removed by a concurrent sync
    return [{
      articleId: d.article_id,
      lang: d.lang,
      title: d.title,
      heading: d.heading,
      anchor: d.anchor,
      snippet: snippet(d.content, tokens),
      score: Number(r.score.toFixed(6)),
      rootCauses: d.root_causes,
      providers: d.providers,
    }];
  });
}

interface Term {
  token: string;
  /** chunks holding it in the searched language(s) */
  df: number;
  /** BM25 inverse document frequency in the searched language(s) */
  idf: number;
}

/** Informative tokens only: unknown ones cannot match, very common ones cannot discriminate. */
async function pickTerms(db: Db, tokens: string[], lang?: Lang): Promise<Term[]> {
  const stats = await tokenStats(db);
  const langs: Lang[] = lang ? [lang] : ['zh', 'en'];
  const n = langs.reduce((sum, l) => sum + stats.total[l], 0);
  const terms = tokens
    .map((token) => {
      const df = langs.reduce((sum, l) => sum + (stats.df[l].get(token) ?? 0), 0);
      return { token, df, idf: Math.log(1 + (n - df + 0.5) / (df + 0.5)) };
    })
    .filter((t) => t.df > 0)
    .sort((a, b) => a.df - b.df);
  const useful = terms.filter((t) => t.df <= MAX_DF_SHARE * n);
  return (useful.length ? useful : terms.slice(0, 2)).slice(0, MAX_QUERY_TOKENS);
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
  return tokens.map(quote).join(' | ');
}

const quote = (token: string) => `'${token.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

const FILTERS = `($2::text IS NULL OR c.lang = $2) AND ($3::text IS NULL OR $3 = ANY (c.root_causes))`;

/**
 * Candidates come from the GIN index: chunks holding one of the rarer tokens, as many of them as
 * keeps the candidate count within CANDIDATE_BUDGET (known from the token statistics), so a common
 * word never makes the search read most of the table. Each candidate scores the idf of every token
 * it holds, once more when the token is in the title or heading (weight A), plus ts_rank_cd for how
 * often and how close together the tokens appear.
 */
async function fullText(db: Db, terms: Term[], q: KbQuery, k: number): Promise<Ranked[]> {
  if (!terms.length) return [];
  const selective: Term[] = []; // terms come rarest first
  let expected = 0;
  for (const t of terms) {
    if (selective.length && expected + t.df > CANDIDATE_BUDGET) break;
    selective.push(t);
    expected += t.df;
  }
  const params: unknown[] = [
    orQuery(selective.map((t) => t.token)),
    q.lang ?? null,
    q.rootCause ?? null,
    poolSize(k),
    orQuery(terms.map((t) => t.token)),
  ];
  const parts = terms.map((t) => {
    params.push(quote(t.token), `${quote(t.token)}:A`, t.idf);
    const i = params.length;
    return `((c.tsv @@ $${i - 2}::tsquery)::int + (c.tsv @@ $${i - 1}::tsquery)::int) * $${i}::float8`;
  });
  // ts_rank_cd (proximity) is the costly part: it refines only the best candidates by idf.
  const r = await db.query<Ranked>(
    `WITH cand AS (
       SELECT c.id, c.article_id, c.lang, c.tsv, ${parts.join(' + ')} AS base
         FROM kb_chunks c
        WHERE c.tsv @@ CAST($1 AS tsquery) AND ${FILTERS}
        ORDER BY base DESC, c.id LIMIT $4 * 2)
     SELECT id, article_id, lang, base + ${RANK_CD_WEIGHT} * ts_rank_cd('${WEIGHTS}'::float4[], tsv, CAST($5 AS tsquery), 1) AS score
       FROM cand ORDER BY score DESC, id LIMIT $4`,
    params,
  );
  return bestPerArticle(r.rows);
}

/** Nearest chunks by cosine distance; null when vectors are unavailable (full text carries on alone). */
async function vectorSearch(ctx: KbContext, q: KbQuery, k: number): Promise<Ranked[] | null> {
  const embedder = embedderFor(ctx.config);
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
  const r = await ctx.db.query<Ranked>(
    `SELECT c.id, c.article_id, c.lang, 1 - dist AS score
       FROM (SELECT e.chunk_id, e.embedding <=> $1::vector AS dist FROM kb_embeddings e
              WHERE e.model = $5 AND e.dim = $6) v
       JOIN kb_chunks c ON c.id = v.chunk_id
      WHERE ${FILTERS}
      ORDER BY dist, c.id LIMIT $4`,
    [`[${vector.join(',')}]`, q.lang ?? null, q.rootCause ?? null, poolSize(k), embedder.model, vector.length],
  );
  return bestPerArticle(r.rows);
}

// Several chunks of one article compete in a ranking: read enough of them to fill k articles.
const poolSize = (k: number) => k * 4 + 20;

function bestPerArticle(rows: Ranked[]): Ranked[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = `${r.article_id}/${r.lang}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Reciprocal rank fusion of article rankings: an article ranked high by either list rises (scores of
 * the two lists are not comparable, ranks are). It cites the chunk of the list that ranked it best.
 */
function fuse(lists: Ranked[][]): Ranked[] {
  const byArticle = new Map<string, Ranked & { best: number }>();
  for (const list of lists) {
    list.forEach((row, rank) => {
      const key = `${row.article_id}/${row.lang}`;
      const prev = byArticle.get(key);
      const add = 1 / (RRF_K + rank + 1);
      if (!prev) byArticle.set(key, { ...row, score: add, best: rank });
      else byArticle.set(key, { ...(rank < prev.best ? { ...row, best: rank } : prev), score: prev.score + add });
    });
  }
  return [...byArticle.values()].sort((a, b) => b.score - a.score || a.id - b.id);
}

const SNIPPET_MAX = 240;

/** The sentences and list lines of a section, without Markdown marks: the units a snippet quotes. */
export function sentencesOf(content: string): string[] {
  return content
    .split(/\n+|(?<=[。！？；])|(?<=[.!?;])\s+/u)
    .map((p) => p.replace(/^\s*(?:[-*+]|\d+\.)\s+/, '').replace(/[`*_]+/g, '').replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

export const clipSnippet = (text: string): string => (text.length > SNIPPET_MAX ? `${text.slice(0, SNIPPET_MAX - 1)}…` : text);

/** The sentence or list line sharing most tokens with the question. */
export function snippet(content: string, queryToks: string[]): string {
  const wanted = queryToks.map(surfaces);
  const parts = sentencesOf(content);
  let best = parts[0] ?? '';
  let bestScore = -1;
  for (const p of parts) {
    const lower = p.normalize('NFKC').toLowerCase();
    const score = wanted.filter((forms) => forms.some((f) => lower.includes(f))).length;
    if (score > bestScore) {
      best = p;
      bestScore = score;
    }
  }
  return clipSnippet(best);
}
