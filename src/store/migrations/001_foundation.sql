-- Tenants, API keys and stored diagnoses. Every table holding customer data carries tenant_id.
CREATE TABLE tenants (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  settings    jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  prefix       text NOT NULL,
  key_hash     text NOT NULL UNIQUE,
  role         text NOT NULL CHECK (role IN ('admin', 'agent')),
  label        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE diagnoses (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  source       text NOT NULL,          -- api, conversation, cli
  input        jsonb NOT NULL,         -- redacted before storage
  root_cause   text NOT NULL,
  reason       text NOT NULL,
  confidence   real NOT NULL,
  result       jsonb NOT NULL
);
CREATE INDEX diagnoses_tenant_time ON diagnoses (tenant_id, created_at DESC);
