create table tenants (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  plan text not null default 'free',
  suspended boolean not null default false,
  created_at timestamptz not null default now()
);

create table api_keys (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null,
  -- Only the SHA-256 of the key is stored; the prefix is for display.
  hash text not null unique,
  prefix text not null,
  scopes text[] not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index api_keys_tenant on api_keys (tenant_id);

create table connectors (
  id uuid primary key default gen_random_uuid(),
  -- Null once the owning tenant is deleted: its public connectors stay installable.
  tenant_id uuid references tenants (id) on delete set null,
  name text not null,
  visibility text not null check (visibility in ('public', 'private')),
  kind text not null,
  created_at timestamptz not null default now()
);
-- Public names are global; a private name is unique within its tenant.
create unique index connectors_public_name on connectors (name) where visibility = 'public';
create unique index connectors_tenant_name on connectors (tenant_id, name);

create table connector_versions (
  connector_id uuid not null references connectors (id) on delete cascade,
  version text not null,
  manifest jsonb not null,
  bundle_key text not null,
  sha256 text not null,
  size integer not null,
  yanked_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (connector_id, version)
);
