-- Recent log lines of each integration, written by the orchestrator from its workers' logs.
-- Kept short: the orchestrator trims each integration to its newest lines.
create table integration_logs (
  id bigserial primary key,
  integration_id uuid not null references integrations (id) on delete cascade,
  at timestamptz not null,
  level text not null,
  message text not null,
  fields jsonb not null default '{}'
);
create index integration_logs_by_integration on integration_logs (integration_id, id);
