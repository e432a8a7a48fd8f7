// Reading stored articles back (GET /v1/kb/articles/:id).
import type { Lang } from '../core/taxonomy.js';
import type { Db } from '../store/index.js';
import type { Article } from './articles.js';

export interface StoredArticle extends Omit<Article, 'path' | 'hash'> {
  sections: { heading: string; anchor: string }[];
  /** languages this article exists in */
  languages: Lang[];
}

/** The article in `lang`, else in the other language; null when the id is unknown. */
export async function getArticle(db: Db, id: string, lang?: Lang): Promise<StoredArticle | null> {
  const rows = (
    await db.query<{ id: string; lang: Lang; title: string; root_causes: string[]; providers: string[]; updated: string | null; sources: string[]; body: string }>(
      'SELECT id, lang, title, root_causes, providers, updated, sources, body FROM kb_articles WHERE id = $1 ORDER BY lang',
      [id],
    )
  ).rows;
  const a = rows.find((r) => r.lang === (lang ?? 'en')) ?? rows[0];
  if (!a) return null;
  const sections = (
    await db.query<{ heading: string; anchor: string }>(
      `SELECT heading, anchor FROM kb_chunks
        WHERE article_id = $1 AND lang = $2 AND anchor IS NOT NULL
        GROUP BY heading, anchor ORDER BY min(ord)`,
      [a.id, a.lang],
    )
  ).rows;
  return {
    id: a.id,
    lang: a.lang,
    title: a.title,
    rootCauses: a.root_causes,
    providers: a.providers,
    updated: a.updated,
    sources: a.sources,
    body: a.body,
    sections,
    languages: rows.map((r) => r.lang),
  };
}
