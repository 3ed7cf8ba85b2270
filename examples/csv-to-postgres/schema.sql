-- The table the csv-to-postgres example loads. Column names match the CSV header.
create table if not exists products (
  sku        text primary key,
  name       text not null,
  qty        integer not null,
  price      numeric(10, 2) not null,
  in_stock   boolean not null,
  ean        text,
  source_row text not null unique,
  loaded_at  timestamptz not null default now()
);
