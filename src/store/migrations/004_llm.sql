-- Cache of validated model answers (issue 5). Keys are sha256(model, prompt, prompt version, language,
-- redacted and masked input); responses hold placeholders, never the addresses they stand for.
CREATE TABLE llm_cache (
  key             text PRIMARY KEY,
  prompt          text NOT NULL,
  prompt_version  text NOT NULL,
  model           text NOT NULL,
  lang            text NOT NULL,
  response        jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL
);
CREATE INDEX llm_cache_expires ON llm_cache (expires_at);
