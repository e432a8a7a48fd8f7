-- A diagnosis result is stored once per tenant and content: most answers repeat (the same chatbot
-- question, the same bounce), and the result is most of a history row's size. A history row names
-- its result by hash; rows written before this migration keep theirs inline in `result`.
-- In a shared result, ticket.timestamp null stands for the row's created_at (the time of the
-- diagnosis), which is what makes repeated answers identical. A row and its new result are written
-- by one statement; there is no foreign key between them (its check cost a third of a row's insert
-- on PGlite), and both go only with their tenant.
CREATE TABLE diagnosis_results (
  tenant_id  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  hash       text NOT NULL,
  result     jsonb NOT NULL,
  PRIMARY KEY (tenant_id, hash)
);

ALTER TABLE diagnoses ALTER COLUMN result DROP NOT NULL;
ALTER TABLE diagnoses ADD COLUMN result_hash text;
ALTER TABLE diagnoses ADD CONSTRAINT diagnoses_result_present CHECK (result IS NOT NULL OR result_hash IS NOT NULL);
