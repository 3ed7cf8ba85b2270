create table integrations (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null,
  -- What the orchestrator should make true: run the current version, or nothing.
  desired_state text not null default 'running' check (desired_state in ('running', 'stopped')),
  current_version integer not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, name)
);

create table integration_versions (
  integration_id uuid not null references integrations (id) on delete cascade,
  version integer not null,
  -- The spec as deployed (YAML or JSON text), so a rollback redeploys exactly it.
  spec text not null,
  format text not null check (format in ('yaml', 'json')),
  -- Registry connectors the spec uses, pinned at deploy time: [{ ref, name, version, sha256, bundleKey }].
  connectors jsonb not null default '[]',
  created_at timestamptz not null default now(),
  primary key (integration_id, version)
);

-- Written by the orchestrator: what actually runs.
create table integration_status (
  integration_id uuid primary key references integrations (id) on delete cascade,
  state text not null check (state in ('starting', 'running', 'stopped', 'failed', 'restarting')),
  version integer,
  worker text,
  error text,
  counters jsonb,
  updated_at timestamptz not null default now()
);

-- Messages accepted per tenant per UTC day, for the daily quota.
create table tenant_usage (
  tenant_id uuid not null references tenants (id) on delete cascade,
  day date not null,
  messages bigint not null default 0,
  primary key (tenant_id, day)
);
