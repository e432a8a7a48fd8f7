-- Predictive alerts: mailbox usage windows, alert state machine (exactly once per crossing),
-- alerts, their deliveries, and monitored domains.
CREATE TABLE mailbox_usage (
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  mailbox      text NOT NULL,
  quota_bytes  double precision NOT NULL,
  -- the latest samples as packed little-endian float64 pairs (time ms, used bytes): one row per
  -- mailbox keeps the forecast run set-based and cheap at a million mailboxes
  samples      bytea NOT NULL,
  last_at      timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, mailbox)
);

-- One row per (kind, subject): `active` while the condition holds; `episode` counts crossings, so a
-- recovered subject alerts again with the next episode and a re-run of the same crossing cannot.
CREATE TABLE alert_states (
  tenant_id  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  kind       text NOT NULL,
  subject    text NOT NULL,
  active     boolean NOT NULL DEFAULT false,
  episode    integer NOT NULL DEFAULT 0,
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, kind, subject)
);

CREATE TABLE alerts (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  kind        text NOT NULL,
  subject     text NOT NULL,
  episode     integer NOT NULL,
  severity    text NOT NULL,
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acked', 'resolved')),
  message     jsonb NOT NULL,      -- { "zh": ..., "en": ... }
  details     jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  acked_at    timestamptz,
  resolved_at timestamptz,
  UNIQUE (tenant_id, kind, subject, episode)
);
CREATE INDEX alerts_tenant_status ON alerts (tenant_id, status, created_at DESC);

CREATE TABLE alert_deliveries (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  alert_id     uuid NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
  channel      text NOT NULL CHECK (channel IN ('webhook', 'email')),
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text,
  delivered_at timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (alert_id, channel)
);
CREATE INDEX alert_deliveries_pending ON alert_deliveries (status) WHERE status = 'pending';

CREATE TABLE monitored_domains (
  tenant_id         text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  domain            text NOT NULL,
  expected_provider text,
  sending_ips       text[] NOT NULL DEFAULT '{}',
  dkim_selectors    text[] NOT NULL DEFAULT '{}',
  last_report       jsonb,
  last_checked_at   timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, domain)
);
