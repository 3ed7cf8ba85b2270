import {
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  type StoredMsg,
  type StreamConfig,
  type StreamInfo,
  type StreamState,
} from "@nats-io/jetstream";
import { headers, type MsgHdrs, type NatsConnection } from "@nats-io/transport-node";
import { ProvisionerError } from "./provisioner-error.js";
import { step as attempt, openJetStream } from "./tenant-resources.js";

/** What {@link copyTenantStreams} carried over. */
export interface CopiedStreams {
  /** Streams re-created on the target (KV buckets and object stores included: each is a stream). */
  streams: number;
  /** Messages copied. */
  messages: number;
  /** Payload bytes copied (headers not counted). */
  bytes: number;
}

/** Publishes awaiting their acknowledgement at once while copying. */
const PUBLISH_WINDOW = 256;

/**
 * Headers that state an expectation about the stream a message was first published to (its
 * last sequence, last message id). They held then; on the target the sequences differ, so they
 * are not carried over.
 */
const EXPECTATION_HEADER = /^nats-expected-/i;
const MSG_ID_HEADER = "Nats-Msg-Id";

/**
 * Copies every stream of a tenant's account — plain streams, KV buckets and object stores
 * alike — from one server to another: each stream is re-created on the target with the source's
 * configuration (replacing any stream of that name there, so a retried copy starts clean), and
 * its messages are republished in stream order with their subjects and headers. Work-queue
 * streams keep exactly the messages no consumer has acknowledged yet, so a backlog moves with
 * its tenant; KV buckets keep their history and latest values, object stores their chunks.
 *
 * What does not move: consumers (the tenant's workers create theirs again when they start, and
 * are then handed every message still in the stream), sequence numbers (they restart at 1) and
 * stored times (a stream's `max_age` counts from the copy). Streams that mirror or source others
 * are re-created and fill from their origins. Nothing should publish to or consume from the
 * source while it runs: stop the tenant's workers first.
 *
 * A message carrying a `Nats-Msg-Id` keeps it, so the target's duplicate window knows it; a
 * second message of the stream with the same id (published further apart than the window) goes
 * without it, in its place — never dropped as a duplicate. Streams with interest retention are
 * refused (with no consumers on the target they would drop what is copied in).
 *
 * @param from - a connection to the source server with the tenant's credentials
 * @param to - a connection to the target server with the tenant's credentials
 * @param tenantId - for error messages
 * @returns how many streams, messages and bytes were copied
 * @throws ProvisionerError `RESOURCE_FAILED` naming the stream that could not be read, created
 *   or written, `JETSTREAM_UNAVAILABLE` when the target account has no JetStream
 */
export async function copyTenantStreams(
  from: NatsConnection,
  to: NatsConnection,
  tenantId: string,
): Promise<CopiedStreams> {
  const copied: CopiedStreams = { streams: 0, messages: 0, bytes: 0 };
  // A JetStream that does not answer is not an empty one: refuse rather than copy nothing.
  const source = await openJetStream(from, tenantId);
  if (source === undefined) {
    throw new ProvisionerError(
      "JETSTREAM_UNAVAILABLE",
      `cannot read the streams of tenant "${tenantId}": JetStream does not answer on the source server; the tenant stays where it is`,
    );
  }
  const target = await openJetStream(to, tenantId);
  // Nothing publishes to the source while it is copied, so the listed state stays true.
  const streams = await attempt(`list the streams of tenant "${tenantId}"`, async () => {
    const found: StreamInfo[] = [];
    for await (const info of source.streams.list()) found.push(info);
    return found;
  });
  if (streams.length === 0) return copied;
  if (target === undefined) {
    throw new ProvisionerError(
      "JETSTREAM_UNAVAILABLE",
      `cannot move the streams of tenant "${tenantId}": its account has no JetStream on the target server`,
    );
  }
  const interest = streams.filter((s) => s.config.retention === "interest").map((s) => s.config.name);
  if (interest.length > 0) {
    // Without consumers on the target, an interest stream would drop every message copied in.
    throw new ProvisionerError(
      "RESOURCE_FAILED",
      `cannot move tenant "${tenantId}": stream${interest.length === 1 ? "" : "s"} ${interest.join(", ")} use interest retention, which keeps messages only for existing consumers; use limits or work-queue retention`,
    );
  }
  const js = jetstream(to);
  for (const { config, state } of streams) {
    const fillsItself = config.mirror !== undefined || (config.sources?.length ?? 0) > 0;
    await recreate(target, { ...config, sealed: false }, tenantId);
    if (!fillsItself) {
      const { messages, bytes } = await copyMessages(source, js, config.name, state, tenantId);
      copied.messages += messages;
      copied.bytes += bytes;
    }
    if (config.sealed) {
      // The client's update type has no `sealed`; the server's STREAM.UPDATE takes the full config.
      await attempt(`seal stream "${config.name}" of tenant "${tenantId}" again`, async () => {
        const reply = await to.request(`$JS.API.STREAM.UPDATE.${config.name}`, JSON.stringify(config));
        const answer = reply.json<{ error?: { description: string } }>();
        if (answer.error) throw new Error(answer.error.description);
      });
    }
    copied.streams += 1;
  }
  return copied;
}

async function recreate(jsm: JetStreamManager, config: StreamConfig, tenantId: string): Promise<void> {
  const what = `stream "${config.name}" of tenant "${tenantId}"`;
  await attempt(`replace ${what} on the target`, async () => {
    const exists = await jsm.streams.info(config.name).then(
      () => true,
      () => false,
    );
    if (exists) await jsm.streams.delete(config.name);
  });
  await attempt(`create ${what} on the target`, () => jsm.streams.add(config));
}

/** Messages read at once where a stream is dense. */
const READ_BATCH = 128;

/**
 * Walks the source stream in order (skipping deleted sequences) and republishes each message.
 * Where most sequences still hold a message — a backlog, a KV bucket — it reads batches of
 * sequences at once; a sparse stream (a work queue acknowledged out of order) is walked with
 * `next_by_subj`, one request per message however many sequences were deleted in between.
 */
async function copyMessages(
  source: JetStreamManager,
  js: JetStreamClient,
  stream: string,
  state: StreamState,
  tenantId: string,
): Promise<{ messages: number; bytes: number }> {
  let messages = 0;
  let bytes = 0;
  const window = new Set<Promise<void>>();
  // Two messages of a stream may share a Nats-Msg-Id (published further apart than its duplicate
  // window); the target would take the second as a duplicate, so it goes without the id.
  const ids = new Set<string>();
  const copy = async (message: StoredMsg) => {
    const hdrs = carriedHeaders(message.header);
    const id = hdrs?.get(MSG_ID_HEADER);
    if (id) {
      if (ids.has(id)) hdrs?.delete(MSG_ID_HEADER);
      else ids.add(id);
    }
    const published = republish(js, message, hdrs, stream, tenantId);
    window.add(published);
    void published.then(
      () => window.delete(published),
      () => undefined,
    );
    if (window.size >= PUBLISH_WINDOW) await Promise.race(window);
    messages += 1;
    bytes += message.data.length;
  };
  const read = (query: { seq: number } | { seq: number; next_by_subj: string }) =>
    attempt(`read stream "${stream}" of tenant "${tenantId}" at ${query.seq}`, () =>
      source.streams.getMessage(stream, query),
    );
  let seq = Math.max(1, state.first_seq);
  if (state.messages > 0 && state.messages * 2 >= state.last_seq - state.first_seq + 1) {
    for (; seq <= state.last_seq; seq += READ_BATCH) {
      const batch = Array.from({ length: Math.min(READ_BATCH, state.last_seq - seq + 1) }, (_, i) => seq + i);
      for (const message of await Promise.all(batch.map((at) => read({ seq: at })))) {
        if (message !== null) await copy(message);
      }
    }
  }
  // MSG.GET with `next_by_subj` answers the first message at or after `seq` (nats-server 2.9+).
  for (;;) {
    const message = await read({ seq, next_by_subj: ">" });
    if (message === null) break;
    await copy(message);
    seq = message.seq + 1;
  }
  await Promise.all(window);
  return { messages, bytes };
}

async function republish(
  js: JetStreamClient,
  message: StoredMsg,
  hdrs: MsgHdrs | undefined,
  stream: string,
  tenantId: string,
): Promise<void> {
  try {
    await js.publish(message.subject, message.data, hdrs === undefined ? {} : { headers: hdrs });
  } catch (error) {
    throw new ProvisionerError(
      "RESOURCE_FAILED",
      `could not write message ${message.seq} of stream "${stream}" of tenant "${tenantId}" to the target: ${describe(error)}`,
      { cause: error },
    );
  }
}

function carriedHeaders(source: MsgHdrs): MsgHdrs | undefined {
  const keys = source.keys().filter((key) => !EXPECTATION_HEADER.test(key));
  if (keys.length === 0) return undefined;
  const carried = headers();
  for (const key of keys) for (const value of source.values(key)) carried.append(key, value);
  return carried;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
