import {
  AckPolicy,
  DiscardPolicy,
  JetStreamApiError,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";

/** Limits of the streams that hold messages in transit. */
export interface TransitLimits {
  /** Most messages waiting in one stream before publishes are refused. @default 1_000_000 */
  maxMessages: number;
  /**
   * Most bytes waiting in one stream before publishes are refused; -1 for no byte limit. A byte
   * limit is reserved from the server's JetStream storage up front, for every stream, so the
   * default limits by message count only.
   * @default -1
   */
  maxBytes: number;
  /** Largest single NATS message (envelope metadata + inline body). @default 1 MiB */
  maxMessageSize: number;
}

/** The default {@link TransitLimits}. */
export const DEFAULT_TRANSIT_LIMITS: TransitLimits = {
  maxMessages: 1_000_000,
  maxBytes: -1,
  maxMessageSize: 1024 ** 2,
};

/**
 * Every JetStream name one integration uses. Inside a tenant's NATS account subjects need no
 * tenant prefix: the account boundary isolates them.
 */
export interface Topology {
  /** Ingress subject: the source publishes here. */
  inSubject: string;
  /** Subject of one sink's queue. */
  outSubject(sink: string): string;
  /** Dead-letter subject. */
  dlqSubject: string;
  inStream: string;
  outStream: string;
  dlqStream: string;
  /** Durable consumer of the process stage. */
  processConsumer: string;
  /** Durable consumer of one sink. */
  sinkConsumer(sink: string): string;
  /** KV bucket for checkpoints, connector state and counters. */
  stateBucket: string;
  /** KV bucket for leases of singleton sources (entries expire). */
  leaseBucket: string;
  /** KV bucket for per-message status (entries expire). */
  statusBucket: string;
  /** Object store bucket for claim-check bodies. */
  blobBucket: string;
  /** KV bucket tracking which sinks still need a blob. */
  blobHoldersBucket: string;
}

/**
 * Names the streams, consumers and buckets of an integration.
 * @param integration - the integration name (kebab-case, so valid in subjects and names)
 */
export function topologyOf(integration: string): Topology {
  const base = `int-${integration}`;
  return {
    inSubject: `int.${integration}.in`,
    outSubject: (sink) => `int.${integration}.out.${sink}`,
    dlqSubject: `int.${integration}.dlq`,
    inStream: `${base}-in`,
    outStream: `${base}-out`,
    dlqStream: `${base}-dlq`,
    processConsumer: "process",
    sinkConsumer: (sink) => `sink-${sink}`,
    stateBucket: `${base}-state`,
    leaseBucket: `${base}-leases`,
    statusBucket: `${base}-status`,
    blobBucket: `${base}-blobs`,
    blobHoldersBucket: `${base}-blob-holders`,
  };
}

/** What {@link ensureTopology} needs to know. */
export interface EnsureTopologyOptions {
  integration: string;
  sinks: readonly string[];
  /** De-duplication window of the transit streams, in ms. */
  dedupWindowMs: number;
  /** How long dead letters are kept, in ms. */
  dlqRetentionMs: number;
  /** Whether to keep source order (one message in flight per consumer). */
  ordered: boolean;
  /** Redelivery timeout for an unacknowledged message, in ms. */
  ackWaitMs: number;
  limits: TransitLimits;
}

/**
 * Creates or updates the streams and durable consumers of an integration; idempotent, so every
 * worker calls it on start. Transit streams use work-queue retention (a message is gone once
 * acknowledged: the platform keeps nothing after transit) and `discard: new` (a full stream
 * refuses publishes instead of silently dropping the oldest messages).
 *
 * @throws JetStreamApiError when the server refuses a configuration
 */
export async function ensureTopology(
  jsm: JetStreamManager,
  options: EnsureTopologyOptions,
): Promise<Topology> {
  const t = topologyOf(options.integration);
  const transit = (name: string, subjects: string[]): Partial<StreamConfig> & { name: string } => ({
    name,
    subjects,
    retention: RetentionPolicy.Workqueue,
    discard: DiscardPolicy.New,
    storage: StorageType.File,
    max_msgs: options.limits.maxMessages,
    max_bytes: options.limits.maxBytes,
    max_msg_size: options.limits.maxMessageSize,
    duplicate_window: nanos(options.dedupWindowMs),
    num_replicas: 1,
  });
  await upsertStream(jsm, transit(t.inStream, [t.inSubject]));
  await upsertStream(jsm, transit(t.outStream, [`int.${options.integration}.out.>`]));
  await upsertStream(jsm, {
    name: t.dlqStream,
    subjects: [t.dlqSubject],
    retention: RetentionPolicy.Limits,
    // A full DLQ refuses new dead letters; the failing message then stays in its transit
    // stream and is retried later, rather than an old dead letter vanishing.
    discard: DiscardPolicy.New,
    storage: StorageType.File,
    max_age: nanos(options.dlqRetentionMs),
    max_bytes: options.limits.maxBytes,
    max_msg_size: options.limits.maxMessageSize,
    num_replicas: 1,
  });
  const maxAckPending = options.ordered ? 1 : 10_000;
  const consumer = (durable: string, filter: string) => ({
    durable_name: durable,
    filter_subject: filter,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(options.ackWaitMs),
    // Attempts are counted by the runtime (DLQ after the last); JetStream must never give up
    // on a message by itself, or it would sit unacknowledged in the work queue forever.
    max_deliver: -1,
    max_ack_pending: maxAckPending,
  });
  await upsertConsumer(jsm, t.inStream, consumer(t.processConsumer, t.inSubject));
  for (const sink of options.sinks) {
    await upsertConsumer(jsm, t.outStream, consumer(t.sinkConsumer(sink), t.outSubject(sink)));
  }
  return t;
}

async function upsertStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }) {
  try {
    await jsm.streams.info(config.name);
  } catch (err) {
    if (isNotFound(err)) {
      await jsm.streams.add(config);
      return;
    }
    throw err;
  }
  const { name, retention: _r, storage: _s, ...mutable } = config;
  await jsm.streams.update(name, mutable);
}

async function upsertConsumer(
  jsm: JetStreamManager,
  stream: string,
  config: { durable_name: string } & Record<string, unknown>,
) {
  try {
    await jsm.consumers.info(stream, config.durable_name);
    const { durable_name, filter_subject: _f, ...mutable } = config;
    await jsm.consumers.update(stream, durable_name, mutable);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await jsm.consumers.add(stream, config);
  }
}

/**
 * Whether a JetStream API error means "no such stream/consumer".
 * @param err - what the API call threw
 */
export function isNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && (err.status === 404 || /not found/i.test(err.message));
}

/**
 * Deletes every stream of an integration (its in-transit messages and dead letters too).
 * @returns whether anything was deleted
 */
export async function deleteTopology(jsm: JetStreamManager, integration: string): Promise<boolean> {
  const t = topologyOf(integration);
  let deleted = false;
  for (const stream of [
    t.inStream,
    t.outStream,
    t.dlqStream,
    `KV_${t.stateBucket}`,
    `KV_${t.leaseBucket}`,
    `KV_${t.statusBucket}`,
    `KV_${t.blobHoldersBucket}`,
    `OBJ_${t.blobBucket}`,
  ]) {
    try {
      deleted = (await jsm.streams.delete(stream)) || deleted;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return deleted;
}
