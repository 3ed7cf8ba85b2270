import { z } from "@vrsky/sdk";
import { connectionStringField } from "../postgres-shared/connection-string.js";
import { tableNameField } from "../postgres-shared/table-name.js";
import { Lsn } from "./lsn.js";

// Slot and publication names go into replication commands as they are: lower case only, so
// Postgres's identifier folding cannot turn them into another name.
const REPLICATION_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const REPLICATION_NAME_MESSAGE =
  "expected lower-case letters, digits and `_` (at most 63, not starting with a digit)";

/**
 * Config of the `postgres-cdc` consumer.
 * @example
 * ```ts
 * PostgresCdcConfig.parse({ connectionString: process.env.DATABASE_URL, slot: "orders_cdc", tables: ["sales.orders"] });
 * ```
 */
export const PostgresCdcConfig = z.strictObject({
  connectionString: connectionStringField(
    "Postgres connection URL of a user with the REPLICATION attribute (secret: give it as `{ $env: DATABASE_URL }`).",
  ),
  slot: z
    .string()
    .regex(REPLICATION_NAME, REPLICATION_NAME_MESSAGE)
    .describe(
      "Logical replication slot to read. Postgres keeps WAL until the slot confirms it, so one slot per source, " +
        "and drop the slot when the source is removed.",
    )
    .meta({ examples: ["orders_cdc"] }),
  publication: z
    .string()
    .regex(REPLICATION_NAME, REPLICATION_NAME_MESSAGE)
    .optional()
    .describe("Publication naming the tables to stream. Created FOR TABLE `tables` if missing.")
    .meta({ default: "vrsky_<slot>", examples: ["vrsky_orders_cdc"] }),
  tables: z
    .array(tableNameField("A table to stream, optionally schema-qualified."))
    .default([])
    .describe(
      "Tables to stream. Required when the publication does not exist yet; with an existing publication, " +
        "each listed table must be in it (and the snapshot reads only these).",
    )
    .meta({ examples: [["sales.orders", "sales.order_lines"]] }),
  createSlot: z
    .boolean()
    .default(true)
    .describe("Create the slot (pgoutput) if it does not exist; `false` fails instead.")
    .meta({ examples: [true] }),
  snapshot: z
    .boolean()
    .default(false)
    .describe(
      'On the first start, emit every existing row of the tables (operation "snapshot") before streaming changes.',
    )
    .meta({ examples: [false, true] }),
});
/** Parsed config of the `postgres-cdc` consumer. */
export type PostgresCdcConfig = z.infer<typeof PostgresCdcConfig>;

/**
 * Where `postgres-cdc` got to: the end of the last transaction whose changes were all accepted,
 * and how far the initial snapshot went.
 */
export const PostgresCdcCheckpoint = z.object({
  lsn: Lsn.optional().describe("End of the last fully accepted transaction."),
  snapshot: z
    .object({
      lsn: Lsn.describe("The slot's start position, which keys the snapshot's messages."),
      done: z.boolean().describe("Whether every snapshot row was accepted."),
    })
    .optional(),
});
/** A `postgres-cdc` checkpoint. */
export type PostgresCdcCheckpoint = z.infer<typeof PostgresCdcCheckpoint>;

/**
 * The publication a config streams from: `publication`, or `vrsky_<slot>`.
 * @param config - the parsed config
 */
export function publicationName(config: PostgresCdcConfig): string {
  return config.publication ?? `vrsky_${config.slot}`.slice(0, 63);
}
