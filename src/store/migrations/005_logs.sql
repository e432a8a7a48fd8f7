-- Log analyses (issue 6): one row per uploaded log with status, progress and the finished report;
-- the parsed deliveries of each analysis, paged by (analysis_id, seq). Both carry tenant_id.
CREATE TABLE log_analyses (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  file_name    text NOT NULL,
  format       text NOT NULL DEFAULT 'auto',
  size_bytes   bigint NOT NULL,
  sha256       text NOT NULL,
  status       text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  bytes_done   bigint NOT NULL DEFAULT 0,
  lines_done   bigint NOT NULL DEFAULT 0,
  error        text,
  report       jsonb
);
CREATE INDEX log_analyses_tenant_time ON log_analyses (tenant_id, created_at DESC);
CREATE INDEX log_analyses_tenant_hash ON log_analyses (tenant_id, sha256, format) WHERE status = 'done';

CREATE TABLE log_events (
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  analysis_id  uuid NOT NULL REFERENCES log_analyses(id) ON DELETE CASCADE,
  seq          bigint NOT NULL,
  at           timestamp NOT NULL,      -- the log's wall clock, as written by the server
  queue_id     text,
  sender       text,
  recipient    text NOT NULL,
  domain       text NOT NULL,
  status       text NOT NULL,
  relay        text,
  delay_s      real,
  dsn          text,
  reason       text,                    -- redacted
  root_cause   text,
  PRIMARY KEY (analysis_id, seq)
);
CREATE INDEX log_events_cause ON log_events (analysis_id, root_cause, seq);
CREATE INDEX log_events_domain ON log_events (analysis_id, domain, seq);
