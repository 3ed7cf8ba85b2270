import { ConfigError, type ConsumerContext, defineConsumer, type Emit } from "@vrsky/sdk";
import { Client } from "pg";
import { describeServer } from "../postgres-shared/connection-string.js";
import { classifyPgError } from "../postgres-shared/pg-errors.js";
import { changeMessage } from "./change-event.js";
import { streamChanges } from "./change-stream.js";
import { PostgresCdcCheckpoint, PostgresCdcConfig, publicationName } from "./config.js";
import { maxLsn } from "./lsn.js";
import { checkServer, ensurePublication, inspectSlot, resolveTables } from "./preflight.js";
import { type CreatedSlot, createSlot } from "./replication-slot.js";
import { readSnapshot } from "./snapshot.js";

type Context = ConsumerContext<PostgresCdcConfig, undefined, PostgresCdcCheckpoint>;

const SNAPSHOT_BATCH_SIZE = 500;

/**
 * `postgres-cdc`: streams row changes (insert, update, delete, truncate) of Postgres tables
 * through logical replication (pgoutput), optionally after a snapshot of the existing rows.
 *
 * On start it checks the server (`wal_level=logical`, REPLICATION attribute), the tables, the
 * publication (created if missing) and the slot (created if missing), then streams from the
 * slot. A transaction is acknowledged to Postgres only once all its changes are accepted, so
 * nothing is lost across crashes; replays carry the same keys and are de-duplicated.
 *
 * @example
 * ```yaml
 * source:
 *   connector: postgres-cdc
 *   config: { connectionString: { $env: DATABASE_URL }, slot: orders_cdc, tables: [sales.orders] }
 * ```
 */
export const postgresCdc = defineConsumer<PostgresCdcConfig, undefined, PostgresCdcCheckpoint>({
  name: "postgres-cdc",
  version: "1.0.0",
  description: "Streams inserts, updates and deletes of Postgres tables via logical replication (pgoutput).",
  categories: ["database", "postgres", "cdc"],
  icon: "postgres",
  config: PostgresCdcConfig,
  checkpoint: PostgresCdcCheckpoint,
  singleton: true,
  examples: [
    {
      title: "Stream changes of two tables, creating the publication and slot",
      config: {
        connectionString: "postgres://replicator:<password>@db.internal:5432/sales",
        slot: "orders_cdc",
        tables: ["sales.orders", "sales.order_lines"],
      },
    },
    {
      title: "Emit the existing rows first, then stream an existing publication",
      config: {
        connectionString: "postgres://replicator:<password>@db.internal:5432/app",
        slot: "customers_cdc",
        publication: "customers_pub",
        snapshot: true,
      },
    },
  ],
  async start(ctx, emit) {
    const { config, signal, logger } = ctx;
    const server = describeServer(config.connectionString);
    const publication = publicationName(config);
    let saved = (await ctx.checkpoint.load()) ?? {};
    const client = new Client({ connectionString: config.connectionString, connectionTimeoutMillis: 10_000 });
    // A dropped connection surfaces as a failed query; the event must not crash the worker.
    client.on("error", (error) => logger.warn(`Postgres connection failed: ${error.message}`));
    let checkpoint = saved;
    let startLsn = saved.lsn;
    let created: CreatedSlot | undefined;
    try {
      try {
        await client.connect();
      } catch (error) {
        throw classifyPgError(error, `connecting to ${server}`);
      }
      await checkServer(client, server);
      const tables = await resolveTables(client, config, publication);
      await ensurePublication(client, publication, tables, config, logger);
      const slot = await inspectSlot(client, config.slot);
      if (slot === undefined && saved.lsn !== undefined) {
        // A saved position belongs to the slot it was read from; with the slot gone (a restored
        // or replaced database, a dropped slot) it would skip the new slot's changes up to it.
        logger.warn(
          { slot: config.slot, checkpoint: saved.lsn },
          "replication slot is gone: ignoring the saved position and starting with a new slot",
        );
        saved = {};
        checkpoint = saved;
        startLsn = undefined;
      }
      // The snapshot is taken on the first start only (or redone after a crash during it).
      const snapshot =
        config.snapshot &&
        saved.snapshot?.done !== true &&
        (saved.lsn === undefined || saved.snapshot !== undefined);
      if (slot === undefined) {
        if (!config.createSlot) {
          throw new ConfigError(
            [
              {
                path: "slot",
                message: `replication slot "${config.slot}" does not exist: create it, or set createSlot: true`,
              },
            ],
            { where: 'the config of consumer "postgres-cdc"' },
          );
        }
        created = await createSlot(config.connectionString, config.slot, snapshot);
        logger.info({ slot: config.slot, lsn: created.lsn }, "created replication slot");
      }
      const slotLsn = created?.lsn ?? slot?.confirmedLsn;
      if (slotLsn !== undefined) startLsn = startLsn === undefined ? slotLsn : maxLsn(startLsn, slotLsn);
      if (snapshot && !signal.aborted) {
        const lsn = saved.snapshot?.lsn ?? slotLsn ?? "0/0";
        checkpoint = { ...saved, snapshot: { lsn, done: false } };
        await readSnapshot(client, tables, {
          snapshotName: created?.snapshotName,
          ...(created ? { onImported: created.release } : {}),
          lsn,
          batchSize: SNAPSHOT_BATCH_SIZE,
          signal,
          onRow: async (event, index) => {
            await emit(changeMessage(event, index), { checkpoint });
          },
        });
        if (signal.aborted) return;
        checkpoint = { ...checkpoint, snapshot: { lsn, done: true } };
        await ctx.checkpoint.save(checkpoint);
      }
    } finally {
      await created?.release().catch(() => {});
      await client.end().catch(() => {});
    }
    if (signal.aborted) return;
    await stream(ctx, emit, publication, startLsn, checkpoint);
  },
});

function stream(
  ctx: Context,
  emit: Emit<PostgresCdcCheckpoint>,
  publication: string,
  startLsn: string | undefined,
  checkpoint: PostgresCdcCheckpoint,
): Promise<void> {
  return streamChanges({
    connectionString: ctx.config.connectionString,
    slot: ctx.config.slot,
    publication,
    startLsn,
    checkpoint,
    emit,
    signal: ctx.signal,
    logger: ctx.logger,
  });
}
