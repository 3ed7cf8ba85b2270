import { type Emit, type Logger, type MessageInit, RetryableError } from "@vrsky/sdk";
import { LogicalReplicationService, type Pgoutput, PgoutputPlugin } from "pg-logical-replication";
import { classifyPgError } from "../postgres-shared/pg-errors.js";
import { AcknowledgedPosition } from "./acknowledged-position.js";
import { type ChangeEvent, changeEvent, changeMessage, type TransactionInfo } from "./change-event.js";
import type { PostgresCdcCheckpoint } from "./config.js";
import { normalizeLsn, parseLsn, previousLsn } from "./lsn.js";

/** Options of {@link streamChanges}. */
export interface StreamChangesOptions {
  /** The server. */
  readonly connectionString: string;
  /** The slot to read. */
  readonly slot: string;
  /** The publication naming the tables. */
  readonly publication: string;
  /** Where the stream starts: the later of the checkpoint and the slot's confirmed position. */
  readonly startLsn: string | undefined;
  /** The checkpoint so far; each transaction's checkpoint keeps its `snapshot` part. */
  readonly checkpoint: PostgresCdcCheckpoint;
  /** Hands messages to the runtime. */
  readonly emit: Emit<PostgresCdcCheckpoint>;
  /** Stops the stream when aborted. */
  readonly signal: AbortSignal;
  /** The step's logger. */
  readonly logger: Logger;
}

/**
 * Streams the slot's changes until `signal` aborts, emitting one message per row change, in
 * commit order.
 *
 * A transaction's position is acknowledged to Postgres (and saved as the checkpoint) only after
 * the emit of each of its changes resolved, so a crash at any point loses nothing: the slot
 * re-sends every transaction not acknowledged, with the same message keys, and the runtime
 * drops the repeats. Auto-acknowledgement of pg-logical-replication is off; its flow control is
 * on, so Postgres is read no faster than the runtime accepts.
 *
 * Between transactions, a keepalive's position is acknowledged once a second keepalive shows no
 * change arrived in between, so the slot advances (and Postgres frees WAL) while the published
 * tables are quiet.
 *
 * @param options - slot, publication, start, emit, signal
 * @throws RetryableError when the stream breaks; FatalError for a slot that cannot be read; what `emit` threw
 */
export async function streamChanges(options: StreamChangesOptions): Promise<void> {
  const { emit, signal, logger, slot } = options;
  const service = new LogicalReplicationService(
    { connectionString: options.connectionString, connectionTimeoutMillis: 10_000 },
    { acknowledge: { auto: false, timeoutSeconds: 0 }, flowControl: { enabled: true } },
  );
  const plugin = new PgoutputPlugin({ protoVersion: 1, publicationNames: [options.publication] });
  const position = new AcknowledgedPosition(options.startLsn);
  let stopped = false;
  let fail: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = (error) => {
      stopped = true;
      reject(error);
    };
  });
  // The race below is the only reader; a failure after it settled must not become unhandled.
  failed.catch(() => {});

  let txn: TransactionInfo | undefined;
  let index = 0;
  let pending: MessageInit | undefined;

  const acknowledge = async (lsn: string): Promise<void> => {
    if (parseLsn(lsn) > 0n) await service.acknowledge(previousLsn(lsn));
  };
  const hold = async (event: ChangeEvent): Promise<void> => {
    // One change is held back so the transaction's last one can carry the checkpoint.
    const next = changeMessage(event, index++);
    if (pending) await emit(pending);
    pending = next;
  };

  const onMessage = async (lsn: string, message: Pgoutput.Message): Promise<void> => {
    switch (message.tag) {
      case "begin":
        position.begin();
        txn = {
          lsn: normalizeLsn(message.commitLsn ?? lsn),
          commitTime: new Date(Number(message.commitTime) / 1000).toISOString(),
        };
        index = 0;
        pending = undefined;
        return;
      case "insert":
      case "update":
      case "delete":
        if (txn) await hold(changeEvent(message, txn));
        return;
      case "truncate":
        for (const relation of txn ? message.relations : []) {
          if (!relation || !txn) continue;
          await hold({
            table: relation.name,
            schema: relation.schema,
            operation: "truncate",
            keys: null,
            before: null,
            after: null,
            lsn: txn.lsn,
            commitTime: txn.commitTime,
          });
        }
        return;
      case "commit": {
        const end = normalizeLsn(message.commitEndLsn ?? lsn);
        if (pending) await emit(pending, { checkpoint: { ...options.checkpoint, lsn: end } });
        pending = undefined;
        txn = undefined;
        position.committed(end);
        await acknowledge(end);
        return;
      }
      default:
        return;
    }
  };

  // biome-ignore lint/nursery/noMisusedPromises: with flow control on, the service awaits this listener (emitAsync) before reading on.
  service.on("data", async (lsn: string, message: Pgoutput.Message) => {
    if (stopped) return;
    position.handling();
    try {
      await onMessage(lsn, message);
    } catch (error) {
      fail(error);
    } finally {
      position.handled();
    }
  });
  service.on("heartbeat", (lsn: string, _timestamp: number, shouldRespond: boolean) => {
    if (stopped) return;
    const safe = position.keepalive(lsn, shouldRespond);
    if (safe !== undefined) acknowledge(safe).catch(fail);
  });
  service.on("error", (error: Error) => fail(error));

  let onAbort: () => void = () => {};
  const aborted = new Promise<void>((resolve) => {
    onAbort = () => resolve();
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  const streaming = service.subscribe(plugin, slot, options.startLsn ?? "0/0");
  try {
    await Promise.race([streaming, failed, aborted]);
    if (!signal.aborted && !stopped) {
      throw new RetryableError(
        `the replication stream of slot "${slot}" ended unexpectedly: the source restarts`,
      );
    }
  } catch (error) {
    if (signal.aborted) return;
    throw classifyPgError(error, `streaming changes from slot "${slot}"`);
  } finally {
    stopped = true;
    signal.removeEventListener("abort", onAbort);
    await service.destroy();
    // After destroy() the stream's promise settles; its error, if any, was reported above.
    await streaming.catch(() => {});
    logger.debug({ slot, confirmed: position.confirmed }, "replication stream closed");
  }
}
