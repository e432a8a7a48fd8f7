// The knowledge articles cited by a Diagnosis: those about its root cause, in the user's language (or
// the other one when that has none), provider-specific articles first. The list and the sections of
// those articles are cached per (rootCause, lang, provider); with a question, the section sharing the
// most words with it is cited — ranked in memory, since this runs on every diagnosis.
import type { Reference } from '../core/diagnosis.js';
import type { Lang } from '../core/taxonomy.js';
import { clipSnippet, sentencesOf } from './search.js';
import { queryTokens, tokenize } from './tokenize.js';
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
  const asked = queryTokens(d.query);
  if (!asked.length) return list.slice(0, k);
  const sections = await cachedSections(ctx, d.rootCause, list[0]!.lang);
  const found = new Map<string, { anchor: string | null; sentences: Sentence[]; overlap: number }>();
  for (const r of list) {
    for (const sec of sections.get(r.articleId) ?? []) {
      let overlap = 0;
      for (const t of asked) if (sec.tokens.has(t)) overlap++;
      const prev = found.get(r.articleId);
      if (overlap > 0 && (!prev || overlap > prev.overlap)) found.set(r.articleId, { anchor: sec.anchor, sentences: sec.sentences, overlap });
    }
  }
  // Provider-specific articles stay first, then the ones the question matched (best first), then the rest.
  const rank = (r: Reference) => (specific.has(r.articleId) ? -Infinity : -(found.get(r.articleId)?.overlap ?? 0));
  return list
    .map((r) => {
      const f = found.get(r.articleId);
      return f ? { ...r, anchor: f.anchor, snippet: bestSentence(f.sentences, asked), score: f.overlap / asked.length } : r;
    })
    .sort((a, b) => rank(a) - rank(b))
    .slice(0, k);
}

interface Sentence {
  text: string;
  tokens: Set<string>;
}

interface Section {
  anchor: string | null;
  tokens: Set<string>;
  /** split and tokenized once, when the section is cached */
  sentences: Sentence[];
}

/** The sentence sharing most words with the question (the first on ties). */
function bestSentence(sentences: Sentence[], asked: string[]): string {
  let best = sentences[0]?.text ?? '';
  let bestScore = -1;
  for (const s of sentences) {
    let score = 0;
    for (const t of asked) if (s.tokens.has(t)) score++;
    if (score > bestScore) {
      best = s.text;
      bestScore = score;
    }
  }
  return clipSnippet(best);
}

function cachedSections(ctx: KbContext, rootCause: string, lang: Lang): Promise<Map<string, Section[]>> {
  const cache = cacheFor(ctx.db).sections;
  const key = `${rootCause}|${lang}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = sectionsFor(ctx, rootCause, lang);
    cache.set(key, hit);
    hit.catch(() => cache.delete(key));
  }
  return hit;
}

async function sectionsFor(ctx: KbContext, rootCause: string, lang: Lang): Promise<Map<string, Section[]>> {
  const rows = (
    await ctx.db.query<{ id: string; heading: string | null; anchor: string | null; content: string }>(
      `SELECT a.id, c.heading, c.anchor, c.content
         FROM kb_articles a JOIN kb_chunks c ON c.article_id = a.id AND c.lang = a.lang
        WHERE $1 = ANY (a.root_causes) AND a.lang = $2
        ORDER BY a.id, c.ord`,
      [rootCause, lang],
    )
  ).rows;
  const out = new Map<string, Section[]>();
  for (const r of rows) {
    const list = out.get(r.id) ?? [];
    const sentences = sentencesOf(r.content).map((text) => ({ text, tokens: new Set(tokenize(text)) }));
    list.push({ anchor: r.anchor, tokens: new Set(tokenize(`${r.heading ?? ''} ${r.content}`)), sentences });
    out.set(r.id, list);
  }
  return out;
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
  return clipSnippet(m ? m[0] : flat);
}
