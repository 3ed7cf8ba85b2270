-- The table the order-flow example writes. Upserts by order_id: one row per order.
create table if not exists orders (
  order_id    text primary key,
  customer    text not null,
  email       text,
  total       numeric(12, 2) not null,
  item_count  integer not null,
  received_at timestamptz not null default now()
);
