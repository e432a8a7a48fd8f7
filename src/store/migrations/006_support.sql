-- Support conversations, their messages, hand-over tickets with events, and hand-over webhook
-- deliveries. All stored text is redacted before it gets here.
CREATE TABLE conversations (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  channel       text NOT NULL,
  user_info     jsonb NOT NULL DEFAULT '{}'::jsonb,   -- mailbox, name, role, verified, locale
  metadata      jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- bot: the bot answers; handoff: a person owns it and the bot is silent; resolved
  state         text NOT NULL DEFAULT 'bot' CHECK (state IN ('bot', 'handoff', 'resolved')),
  language      text NOT NULL DEFAULT 'en',
  -- dialogue memory used by the policy (template slots, fields asked, last diagnosis, flags)
  memory        jsonb NOT NULL DEFAULT '{}'::jsonb,
  ticket_id     uuid,
  -- external conversation key (e.g. 'chatwoot:<account>:<conversation>'), unique per tenant
  external_key  text,
  -- optimistic concurrency: two turns of one conversation never overwrite each other's memory
  version       integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_tenant_time ON conversations (tenant_id, created_at DESC);
CREATE UNIQUE INDEX conversations_external ON conversations (tenant_id, external_key) WHERE external_key IS NOT NULL;

CREATE TABLE conversation_messages (
  id              bigserial PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  role            text NOT NULL CHECK (role IN ('user', 'bot', 'agent', 'system')),
  text            text NOT NULL,
  data            jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversation_messages_conv ON conversation_messages (conversation_id, id);

CREATE SEQUENCE ticket_numbers START 1001;

CREATE TABLE tickets (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number          bigint NOT NULL UNIQUE DEFAULT nextval('ticket_numbers'),
  tenant_id       text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  conversation_id uuid REFERENCES conversations(id) ON DELETE SET NULL,
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'resolved', 'closed')),
  -- security > outage > config > other, kept as a rank for ordering
  kind            text NOT NULL CHECK (kind IN ('security', 'outage', 'config', 'other')),
  kind_rank       smallint NOT NULL,
  priority        text NOT NULL CHECK (priority IN ('urgent', 'high', 'normal', 'low')),
  reason          text NOT NULL,
  queue           text NOT NULL,
  channel         text NOT NULL,                         -- standard or emergency
  mailbox         text,
  -- tenant-scoped duplicate key: mailbox + rootCause or error code; NULL = never merged
  dedupe_key      text,
  template        jsonb NOT NULL,
  diagnosis       jsonb,
  evidence        jsonb NOT NULL DEFAULT '[]'::jsonb,
  summary         jsonb NOT NULL,
  assignee        text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tickets_tenant_order ON tickets (tenant_id, status, kind_rank, created_at DESC);
-- One open ticket per tenant + duplicate key: concurrent hand-overs for the same problem merge.
CREATE UNIQUE INDEX tickets_open_dedupe ON tickets (tenant_id, dedupe_key)
  WHERE dedupe_key IS NOT NULL AND status IN ('open', 'pending');

CREATE TABLE ticket_events (
  id         bigserial PRIMARY KEY,
  ticket_id  uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  kind       text NOT NULL,
  actor      text NOT NULL,
  data       jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);

CREATE TABLE handoff_deliveries (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  ticket_id    uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  event        text NOT NULL,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts     integer NOT NULL DEFAULT 0,
  last_status  integer,
  last_error   text,
  delivered_at timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX handoff_deliveries_ticket ON handoff_deliveries (ticket_id, created_at);
