-- The table the cdc-to-api example watches. REPLICA IDENTITY FULL makes Postgres log the whole
-- old row of updates and deletes, so events carry `previous`.
create table if not exists orders (
  id       serial primary key,
  customer text not null,
  total    numeric(10, 2) not null,
  status   text not null default 'new'
);
alter table orders replica identity full;
