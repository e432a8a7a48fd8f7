// What /readyz and operators need to know about the index: size, vector coverage, and which
// retrieval mode searches will use (and why not hybrid).
import { embedderFor } from './embeddings.js';
import { hasVectorTable } from './state.js';
import { embeddingsMeta, type KbContext } from './sync.js';

export interface KnowledgeStatus {
  articles: number;
  chunks: number;
  /** chunks holding a vector of the configured model */
  embedded: number;
  mode: 'hybrid' | 'fulltext';
  detail: string;
}

export async function knowledgeStatus(ctx: KbContext): Promise<KnowledgeStatus> {
  const counts = (
    await ctx.db.query<{ articles: number; chunks: number }>(
      'SELECT (SELECT count(*)::int FROM kb_articles) AS articles, (SELECT count(*)::int FROM kb_chunks) AS chunks',
    )
  ).rows[0]!;
  const embedder = embedderFor(ctx.config);
  const base = { ...counts, embedded: 0 };
  if (!embedder) return { ...base, mode: 'fulltext', detail: 'no embeddings configured (EMBEDDINGS_BASE_URL, EMBEDDINGS_MODEL)' };
  if (!(await hasVectorTable(ctx.db))) return { ...base, mode: 'fulltext', detail: 'the database has no pgvector' };
  const meta = await embeddingsMeta(ctx.db);
  const embedded = (
    await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM kb_embeddings WHERE model = $1', [embedder.model])
  ).rows[0]!.n;
  if (!meta || meta.model !== embedder.model || embedded === 0) {
    return { ...base, mode: 'fulltext', detail: `no vectors of model ${embedder.model} yet: run mailmedic kb ingest` };
  }
  const missing = counts.chunks - embedded;
  return {
    ...base,
    embedded,
    mode: 'hybrid',
    detail: `model ${meta.model}, ${meta.dim ?? '?'} dimensions${missing > 0 ? `; ${missing} chunk(s) not embedded yet` : ''}`,
  };
}
