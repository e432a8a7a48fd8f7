// The knowledge articles cited by a Diagnosis: those about its root cause, in the user's language (or
// the other one when that has none), provider-specific articles first. Without a question the list is
// cached per (rootCause, lang, provider); with one, the best-matching section of each is cited.
import type { Reference } from '../core/diagnosis.js';
import type { Lang } from '../core/taxonomy.js';
import { searchKnowledge } from './search.js';
import { cacheFor } from './state.js';
import type { KbContext } from './sync.js';

export interface ReferenceQuery {
  rootCause: string;
  lang: Lang;
  query?: string;
  provider?: string | null;
  k?: number;
}

interface ArticleRow {
  id: string;
  lang: Lang;
  title: string;
  providers: string[];
  heading: string | null;
  anchor: string | null;
  content: string;
}

export async function referencesFor(ctx: KbContext, d: ReferenceQuery): Promise<Reference[]> {
  const k = Math.max(1, Math.min(d.k ?? 3, 10));
  const { list, specific } = await cachedList(ctx, d.rootCause, d.lang, d.provider?.toLowerCase() ?? null);
  if (!d.query?.trim() || !list.length) return list.slice(0, k);
  const hits = await searchKnowledge(ctx, { text: d.query, lang: list[0]!.lang, rootCause: d.rootCause, k: list.length });
  // Each article cites its best-matching section when the question found it; provider-specific
  // articles stay first, then the ones the question found (best first), then the rest.
  const found = new Map(hits.map((h, i) => [h.articleId, { h, i }]));
  const rank = (r: Reference) => (specific.has(r.articleId) ? -1 : found.get(r.articleId)?.i ?? list.length);
  return list
    .map((r) => {
      const h = found.get(r.articleId)?.h;
      return h ? { ...r, anchor: h.anchor, snippet: h.snippet, score: h.score } : r;
    })
    .sort((a, b) => rank(a) - rank(b))
    .slice(0, k);
}

function cachedList(ctx: KbContext, rootCause: string, lang: Lang, provider: string | null) {
  const cache = cacheFor(ctx.db).refs;
  const key = `${rootCause}|${lang}|${provider ?? ''}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = listFor(ctx, rootCause, lang, provider);
    cache.set(key, hit);
    hit.catch(() => cache.delete(key));
  }
  return hit;
}

async function listFor(ctx: KbContext, rootCause: string, lang: Lang, provider: string | null) {
  // The first section of each article (what the problem means) stands for it.
  const rows = (
    await ctx.db.query<ArticleRow>(
      `SELECT DISTINCT ON (a.lang, a.id) a.id, a.lang, a.title, a.providers, c.heading, c.anchor, c.content
         FROM kb_articles a JOIN kb_chunks c ON c.article_id = a.id AND c.lang = a.lang
        WHERE $1 = ANY (a.root_causes)
        ORDER BY a.lang, a.id, c.ord`,
      [rootCause],
    )
  ).rows;
  const inLang = rows.filter((r) => r.lang === lang);
  const chosen = inLang.length ? inLang : rows.filter((r) => r.lang !== lang);
  const specific = new Set(chosen.filter((r) => provider !== null && r.providers.includes(provider)).map((r) => r.id));
  // Provider-specific first, then general articles before those written for other providers.
  const rank = (r: ArticleRow) => (specific.has(r.id) ? 0 : r.providers.length ? 2 : 1);
  const list: Reference[] = chosen
    .sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id))
    .map((r) => ({ articleId: r.id, title: r.title, lang: r.lang, anchor: r.anchor, snippet: firstSentence(r.content), score: 1 }));
  return { list, specific };
}

function firstSentence(text: string): string {
  const flat = text.replace(/[`*_]+/g, '').replace(/\s+/g, ' ').trim();
  const m = /^.+?(?:[。！？]|[.!?](?=\s|$))/u.exec(flat);
  const s = m ? m[0] : flat;
  return s.length > 240 ? `${s.slice(0, 239)}…` : s;
}
