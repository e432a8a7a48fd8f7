-- requires: vector
-- One embedding per chunk. The column has no fixed dimension, so changing EMBEDDINGS_MODEL or
-- EMBEDDINGS_DIM needs no DDL: the sync deletes every row and re-embeds (never mixed vectors; searches
-- also filter on model and dim). A few thousand chunks are searched exactly, without an ANN index.
CREATE TABLE kb_embeddings (
  chunk_id   bigint PRIMARY KEY REFERENCES kb_chunks (id) ON DELETE CASCADE,
  model      text NOT NULL,
  dim        int NOT NULL,
  embedding  vector NOT NULL
);
