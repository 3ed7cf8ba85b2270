import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { type Envelope, Message } from "@vrsky/sdk";
import { type DeadLetterInfo, decodeEnvelope, encodeEnvelope } from "./envelope-codec.js";
import { isNotFound, type Topology } from "./topology.js";

/** One dead letter as listed. No body: use {@link DeadLetterQueue.show}. */
export interface DeadLetterEntry {
  /** Sequence in the DLQ stream; the handle for show, replay and purge. */
  seq: number;
  /** The message id. */
  id: string;
  /** When the source accepted it. */
  createdAt: string;
  headers: Record<string, string>;
  contentType: string;
  /** Body size in bytes. */
  size: number;
  /** Whether the body is a claim-check reference (it expires with the blob's TTL). */
  isReference: boolean;
  /** Why, where and when it failed. */
  failure: DeadLetterInfo;
}

/** A dead letter with its body. */
export interface DeadLetterDetail extends DeadLetterEntry {
  /** The message, readable like any other (bytes, text, JSON, stream). */
  message: Message;
}

/** Which dead letters an operation applies to; criteria combine with AND. */
export interface DeadLetterSelector {
  /** Exactly these sequences. */
  seqs?: readonly number[];
  /** Messages with these ids. */
  ids?: readonly string[];
  /** Failed at this step (a step or sink name). */
  step?: string;
  /** Whose error message contains this text. */
  errorContains?: string;
  /** Everything. Required when no other criterion is given, so nothing is replayed by accident. */
  all?: boolean;
}

/** Options of {@link DeadLetterQueue.list}. */
export interface ListOptions {
  /** Most entries. @default 100 */
  limit?: number;
  /** Start at this DLQ sequence. @default the oldest */
  fromSeq?: number;
}

/**
 * The dead-letter queue of one integration: list, inspect, replay and purge. Replay publishes
 * the original message (attempt reset) back to the stage it failed at and removes the dead
 * letter once the republish is stored. This is the API behind `vrsky dlq`.
 */
export class DeadLetterQueue {
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #t: Topology;
  readonly #reader: ConstructorParameters<typeof Message>[1];

  /**
   * @param reader - reads claim-check bodies, for {@link DeadLetterQueue.show}
   */
  constructor(
    js: JetStreamClient,
    jsm: JetStreamManager,
    topology: Topology,
    reader?: ConstructorParameters<typeof Message>[1],
  ) {
    this.#js = js;
    this.#jsm = jsm;
    this.#t = topology;
    this.#reader = reader;
  }

  /** How many dead letters there are. */
  async count(): Promise<number> {
    try {
      return (await this.#jsm.streams.info(this.#t.dlqStream)).state.messages;
    } catch (err) {
      if (isNotFound(err)) return 0;
      throw err;
    }
  }

  /** Lists dead letters, oldest first. */
  async list(options: ListOptions = {}): Promise<DeadLetterEntry[]> {
    const entries: DeadLetterEntry[] = [];
    for await (const detail of this.#scan(options.fromSeq, options.limit ?? 100)) {
      const { message: _m, ...entry } = detail;
      entries.push(entry);
    }
    return entries;
  }

  /**
   * One dead letter with its body.
   * @returns `undefined` when there is no dead letter with that sequence
   */
  async show(seq: number): Promise<DeadLetterDetail | undefined> {
    const stored = await this.#jsm.streams.getMessage(this.#t.dlqStream, { seq }).catch((err: unknown) => {
      if (isNotFound(err)) return null;
      throw err;
    });
    return stored ? this.#detail(stored.seq, stored.data) : undefined;
  }

  /**
   * Replays matching dead letters.
   * @returns how many were replayed
   */
  async replay(selector: DeadLetterSelector): Promise<{ replayed: number }> {
    checkSelector(selector);
    let replayed = 0;
    for (const letter of await this.#matching(selector)) {
      const envelope: Envelope = { ...letter.message.toEnvelope(), attempt: 1 };
      // A fresh Nats-Msg-Id: the original id may still be in the de-duplication window.
      await this.#js.publish(letter.failure.replaySubject, encodeEnvelope(envelope), {
        msgID: `replay-${letter.seq}-${envelope.id}`,
      });
      await this.#jsm.streams.deleteMessage(this.#t.dlqStream, letter.seq, false);
      replayed += 1;
    }
    return { replayed };
  }

  /**
   * Deletes matching dead letters for good.
   * @returns how many were purged
   */
  async purge(selector: DeadLetterSelector): Promise<{ purged: number }> {
    checkSelector(selector);
    if (selector.all && Object.keys(selector).length === 1) {
      const result = await this.#jsm.streams.purge(this.#t.dlqStream);
      return { purged: result.purged };
    }
    let purged = 0;
    for (const letter of await this.#matching(selector)) {
      await this.#jsm.streams.deleteMessage(this.#t.dlqStream, letter.seq, false);
      purged += 1;
    }
    return { purged };
  }

  async #matching(selector: DeadLetterSelector): Promise<DeadLetterDetail[]> {
    if (selector.seqs) {
      const found = await Promise.all(selector.seqs.map((seq) => this.show(seq)));
      return found.filter((d): d is DeadLetterDetail => d !== undefined && matches(d, selector));
    }
    const out: DeadLetterDetail[] = [];
    for await (const d of this.#scan(undefined, Number.POSITIVE_INFINITY))
      if (matches(d, selector)) out.push(d);
    return out;
  }

  async *#scan(fromSeq: number | undefined, limit: number): AsyncGenerator<DeadLetterDetail> {
    let info: Awaited<ReturnType<JetStreamManager["streams"]["info"]>>;
    try {
      info = await this.#jsm.streams.info(this.#t.dlqStream);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const { messages, last_seq: lastSeq } = info.state;
    if (messages === 0 || (fromSeq !== undefined && fromSeq > lastSeq)) return;
    const consumer = await this.#js.consumers.get(this.#t.dlqStream, {
      ...(fromSeq !== undefined
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: fromSeq }
        : { deliver_policy: DeliverPolicy.All }),
    });
    let yielded = 0;
    try {
      while (yielded < limit) {
        const batch = await consumer.fetch({
          max_messages: Math.min(limit - yielded, messages, 500),
          expires: 2000,
        });
        let got = 0;
        for await (const m of batch) {
          got += 1;
          yield this.#detail(m.seq, m.data);
          yielded += 1;
          if (m.seq >= lastSeq || yielded >= limit) return;
        }
        if (got === 0) return;
      }
    } finally {
      await consumer.delete().catch(() => undefined);
    }
  }

  #detail(seq: number, data: Uint8Array): DeadLetterDetail {
    const { envelope, dlq } = decodeEnvelope(data);
    const message = new Message(envelope, this.#reader);
    const failure: DeadLetterInfo = dlq ?? {
      error: "unknown",
      code: "UNKNOWN",
      stage: "process",
      step: "unknown",
      attempts: 0,
      failedAt: new Date(0).toISOString(),
      replaySubject: this.#t.inSubject,
    };
    return {
      seq,
      id: envelope.id,
      createdAt: envelope.createdAt,
      headers: { ...envelope.headers },
      contentType: envelope.contentType,
      size: message.size,
      isReference: message.isReference,
      failure,
      message,
    };
  }
}

function checkSelector(selector: DeadLetterSelector): void {
  const { all, ...criteria } = selector;
  if (!all && Object.values(criteria).every((v) => v === undefined)) {
    throw new TypeError("select dead letters with seqs, ids, step or errorContains, or pass { all: true }");
  }
}

function matches(d: DeadLetterDetail, s: DeadLetterSelector): boolean {
  if (s.seqs && !s.seqs.includes(d.seq)) return false;
  if (s.ids && !s.ids.includes(d.id)) return false;
  if (s.step && d.failure.step !== s.step) return false;
  if (s.errorContains && !d.failure.error.includes(s.errorContains)) return false;
  return true;
}
