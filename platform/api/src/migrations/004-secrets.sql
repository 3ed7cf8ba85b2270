-- Tenant secrets, sealed with AES-256-GCM by the API (the key never reaches the database), and
-- which secrets each deployed version refers to, so workers get only those.
create table tenant_secrets (
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null,
  sealed bytea not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, name)
);
alter table integration_versions add column secret_refs text[] not null default '{}';
