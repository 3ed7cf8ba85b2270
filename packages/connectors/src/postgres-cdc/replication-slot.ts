import { FatalError } from "@vrsky/sdk";
import { Client, type ClientConfig, escapeIdentifier } from "pg";
import type { ReplicationClientConfig } from "pg-logical-replication";
import { classifyPgError, errorCode } from "../postgres-shared/pg-errors.js";
import { normalizeLsn } from "./lsn.js";

/** A slot just created. */
export interface CreatedSlot {
  /** The slot's start: changes committed after it are streamed. */
  readonly lsn: string;
  /**
   * The exported snapshot (when asked for): the database exactly as of `lsn`, importable with
   * `SET TRANSACTION SNAPSHOT` until {@link CreatedSlot.release} is called.
   */
  readonly snapshotName: string | undefined;
  /** Closes the replication connection that created the slot, ending its snapshot's export; idempotent. */
  release(): Promise<void>;
}

/**
 * Creates a pgoutput logical replication slot over a replication connection, optionally
 * exporting a snapshot of the database as of the slot's start, so an initial snapshot read in it
 * and the changes streamed after it neither overlap nor leave a gap.
 *
 * @param connectionString - the server
 * @param slot - the slot's name (lower case, validated by the config schema)
 * @param exportSnapshot - whether to export a snapshot; the connection then stays open until `release()`
 * @throws FatalError when the server has no free replication slots; RetryableError when it cannot be reached
 */
export async function createSlot(
  connectionString: string,
  slot: string,
  exportSnapshot: boolean,
): Promise<CreatedSlot> {
  const config: ReplicationClientConfig = {
    connectionString,
    replication: "database",
    connectionTimeoutMillis: 10_000,
  };
  const client = new Client(config satisfies ClientConfig);
  // A replication connection that breaks while the snapshot is read is reported by the snapshot's own queries.
  client.on("error", () => {});
  try {
    await client.connect();
    const result = await client.query<{ consistent_point: string; snapshot_name: string | null }>(
      `CREATE_REPLICATION_SLOT ${escapeIdentifier(slot)} LOGICAL pgoutput ${exportSnapshot ? "EXPORT_SNAPSHOT" : "NOEXPORT_SNAPSHOT"}`,
    );
    const row = result.rows[0];
    if (!row) throw new FatalError(`creating replication slot "${slot}" returned no start position`);
    let ending: Promise<void> | undefined;
    const created: CreatedSlot = {
      lsn: normalizeLsn(row.consistent_point),
      snapshotName: row.snapshot_name ?? undefined,
      release: () => {
        ending ??= client.end();
        return ending;
      },
    };
    if (!exportSnapshot) await created.release();
    return created;
  } catch (error) {
    await client.end().catch(() => {});
    if (errorCode(error) === "53400") {
      throw new FatalError(
        `cannot create replication slot "${slot}": the server has no free replication slot — drop unused slots ` +
          "(SELECT pg_drop_replication_slot(name)) or raise max_replication_slots and restart the server",
        { cause: error },
      );
    }
    throw classifyPgError(error, `creating replication slot "${slot}"`);
  }
}
