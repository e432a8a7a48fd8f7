-- Knowledge base (global, shared by all tenants): articles from knowledge/{en,zh}/*.md and their chunks.
-- The full-text vector is built from tokens pre-segmented by src/knowledge/tokenize.ts (Chinese has no
-- spaces, so PostgreSQL's parser cannot split it); 'simple' keeps those tokens exactly as given.
CREATE TABLE kb_articles (
  id           text NOT NULL,
  lang         text NOT NULL CHECK (lang IN ('zh', 'en')),
  title        text NOT NULL,
  root_causes  text[] NOT NULL DEFAULT '{}',
  providers    text[] NOT NULL DEFAULT '{}',
  updated      text,
  sources      text[] NOT NULL DEFAULT '{}',
  body         text NOT NULL,
  path         text NOT NULL,
  hash         text NOT NULL,          -- sha256 of the file plus the chunker version
  synced_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, lang)
);
CREATE INDEX kb_articles_root_causes ON kb_articles USING gin (root_causes);

CREATE TABLE kb_chunks (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  article_id   text NOT NULL,
  lang         text NOT NULL,
  ord          int NOT NULL,
  heading      text,
  anchor       text,
  content      text NOT NULL,
  head_tokens  text NOT NULL,          -- title + heading tokens, weighted A
  tokens       text NOT NULL,          -- body tokens
  root_causes  text[] NOT NULL DEFAULT '{}',
  providers    text[] NOT NULL DEFAULT '{}',
  tsv          tsvector GENERATED ALWAYS AS (
                 setweight(to_tsvector('simple'::regconfig, head_tokens), 'A') || to_tsvector('simple'::regconfig, tokens)
               ) STORED,
  FOREIGN KEY (article_id, lang) REFERENCES kb_articles (id, lang) ON DELETE CASCADE
)
-- Keep rows (a few KB) whole in the heap: a search reads tsv many times per candidate row, and a
-- compressed or out-of-line value would be unpacked each time (measured 2-3x slower on PGlite).
WITH (toast_tuple_target = 8160);
CREATE INDEX kb_chunks_tsv ON kb_chunks USING gin (tsv);
CREATE INDEX kb_chunks_article ON kb_chunks (article_id, lang);
CREATE INDEX kb_chunks_root_causes ON kb_chunks USING gin (root_causes);

-- Small key/value facts about the index, e.g. which embeddings model and dimension the vectors came from.
CREATE TABLE kb_meta (
  key    text PRIMARY KEY,
  value  jsonb NOT NULL
);
