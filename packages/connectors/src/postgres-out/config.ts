import { z } from "@vrsky/sdk";
import { connectionStringField } from "../postgres-shared/connection-string.js";
import { columnNameField, tableNameField } from "../postgres-shared/table-name.js";

const RESERVED_SEGMENTS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Where a column's value comes from: a dotted path into the JSON body (`customer.id`,
 * `items.0.sku`), or `$` for the whole body.
 */
export const BodyPath = z
  .string()
  .regex(
    /^(\$|[^.$][^.]*(\.[^.]+)*)$/,
    "expected a dotted path such as `customer.id`, or `$` for the whole body",
  )
  .refine(
    (path) => path.split(".").every((segment) => !RESERVED_SEGMENTS.has(segment)),
    "`__proto__`, `constructor` and `prototype` are not accepted as path segments",
  );

/** Postgres types a column's value can be cast to explicitly. */
export const ColumnCast = z.enum([
  "text",
  "integer",
  "bigint",
  "smallint",
  "numeric",
  "real",
  "double precision",
  "boolean",
  "date",
  "timestamp",
  "timestamptz",
  "uuid",
  "json",
  "jsonb",
]);
/** One of {@link ColumnCast}. */
export type ColumnCast = z.infer<typeof ColumnCast>;

/** Where one column's value comes from: a body path, optionally with an explicit cast. */
export const ColumnSource = z.union([
  BodyPath,
  z.strictObject({
    path: BodyPath.describe("Dotted path into the JSON body, or `$` for the whole body."),
    type: ColumnCast.optional().describe(
      "Cast the value to this Postgres type (`$n::type`); `json`/`jsonb` also serialise objects and arrays as JSON.",
    ),
  }),
]);
/** One of {@link ColumnSource}. */
export type ColumnSource = z.infer<typeof ColumnSource>;

const PostgresOutFields = z.strictObject({
  connectionString: connectionStringField(
    "Postgres connection URL (secret: give it as a reference such as `{ $env: DATABASE_URL }`).",
  ),
  table: tableNameField(
    "Table to write to, optionally schema-qualified; quote parts with upper case or dots.",
  ).meta({ examples: ["orders", "sales.orders", '"Sales"."Order lines"'] }),
  mode: z
    .enum(["insert", "upsert"])
    .default("insert")
    .describe(
      "`insert` adds one row per message; `upsert` inserts or, when a row with the same `key` exists, updates it.",
    )
    .meta({ examples: ["insert", "upsert"] }),
  key: z
    .array(columnNameField("A key column."))
    .min(1)
    .optional()
    .describe(
      "upsert: the columns of a primary key or unique index identifying a row (`ON CONFLICT (key) DO UPDATE`).",
    )
    .meta({ examples: [["order_id"], ["tenant_id", "sku"]] }),
  columns: z
    .record(columnNameField("A column of the table."), ColumnSource)
    .optional()
    .describe(
      "Column → body path (or `{ path, type }`). Without it, each top-level field of the JSON body goes to the " +
        "column of the same name. A path missing from a body leaves the column out of that row (its default applies).",
    )
    .meta({
      examples: [
        {
          order_id: "id",
          customer: "customer.name",
          total: { path: "amount", type: "numeric" },
          payload: "$",
        },
      ],
    }),
  idColumn: columnNameField(
    "Column that stores the message id. With a unique constraint on it, `insert` becomes idempotent " +
      "(`ON CONFLICT (idColumn) DO NOTHING`): a redelivered message is not inserted twice.",
  )
    .optional()
    .meta({ examples: ["message_id"] }),
  poolSize: z
    .number()
    .int()
    .min(1)
    .max(50)
    .default(4)
    .describe("Most connections the step holds open.")
    .meta({ examples: [4] }),
});

/**
 * Config of the `postgres-out` producer.
 * @example
 * ```ts
 * PostgresOutConfig.parse({
 *   connectionString: process.env.DATABASE_URL,
 *   table: "sales.orders",
 *   mode: "upsert",
 *   key: ["order_id"],
 *   columns: { order_id: "id", total: { path: "amount", type: "numeric" } },
 * });
 * ```
 */
export const PostgresOutConfig = PostgresOutFields.superRefine((config, ctx) => {
  if (config.mode === "upsert" && config.key === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["key"],
      message: 'required with mode "upsert": the columns of the unique index that identifies a row',
    });
  }
  if (config.mode === "insert" && config.key !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["key"],
      message: 'applies only to mode "upsert": remove it, or use idColumn for idempotent inserts',
    });
  }
  const mapped = config.columns === undefined ? undefined : new Set(Object.keys(config.columns));
  if (mapped && config.key) {
    for (const [i, column] of config.key.entries()) {
      if (!mapped.has(column) && column !== config.idColumn) {
        ctx.addIssue({
          code: "custom",
          path: ["key", i],
          message: `"${column}" is not one of the mapped columns`,
        });
      }
    }
  }
  if (mapped && config.idColumn !== undefined && mapped.has(config.idColumn)) {
    ctx.addIssue({
      code: "custom",
      path: ["idColumn"],
      message: `"${config.idColumn}" is also mapped in columns: the column holds either the message id or a body field`,
    });
  }
});
/** Parsed config of the `postgres-out` producer. */
export type PostgresOutConfig = z.infer<typeof PostgresOutConfig>;
