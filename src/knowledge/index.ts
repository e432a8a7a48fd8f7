// The knowledge base: articles in knowledge/{en,zh}, their chunks and vectors in the database, and
// retrieval for the API, the CLI and every Diagnosis.
export { syncKnowledge, embeddingsMeta, type KbContext, type SyncResult } from './sync.js';
export { searchKnowledge, type KbHit, type KbQuery, type SearchOptions } from './search.js';
export { referencesFor, type ReferenceQuery } from './references.js';
export { knowledgeStatus, type KnowledgeStatus } from './status.js';
export { getArticle, type StoredArticle } from './store.js';
export { KnowledgeError } from './articles.js';
export { createEmbedder, embedderFor, EmbeddingsError, type Embedder } from './embeddings.js';
