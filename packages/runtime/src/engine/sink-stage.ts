import type { JsMsg } from "@nats-io/jetstream";
import {
  type BatchOutcome,
  type ConnectorContext,
  type DeliveryContext,
  type Envelope,
  Message,
  type ProducerConnector,
} from "@vrsky/sdk";
import type { Logger } from "pino";
import type { ClaimCheck } from "./claim-check.js";
import type { DeadLetterWriter } from "./dead-letter-writer.js";
import { decodeEnvelope } from "./envelope-codec.js";
import { decideFailure, type RetrySchedule } from "./failure-policy.js";
import type { RuntimeMetrics } from "./runtime-metrics.js";
import type { StatusTracker } from "./status-tracker.js";
import type { WriteCoalescer } from "./write-coalescer.js";

/** Options of {@link SinkStage}. */
export interface SinkStageOptions {
  integration: string;
  sink: string;
  connector: ProducerConnector;
  ctx: ConnectorContext<unknown, unknown>;
  retry: RetrySchedule;
  replaySubject: string;
  claimCheck: ClaimCheck;
  deadLetters: DeadLetterWriter;
  tracker: StatusTracker;
  metrics: RuntimeMetrics;
  logger: Logger;
  writes: WriteCoalescer;
  /** Sees each message before it is delivered. */
  onDelivering?: (sink: string, message: Message) => void;
}

/**
 * The JetStream message a delivery settles: the sink queue's own message, or — for a direct
 * hand-off — the ingress message the process stage is working on.
 */
type Settlement = Pick<JsMsg, "ack" | "nak" | "data" | "seq">;

interface Pending {
  jsMsg: Settlement;
  envelope: Envelope | undefined;
  message: Message | undefined;
  attempt: number;
  /** Decoding failed: dead-letter without delivering. */
  error?: unknown;
}

/**
 * One sink: delivers each message of its own queue with its producer and settles it — ack on
 * success, NAK with backoff on a retryable failure, DLQ after the last attempt or at once on a
 * fatal one. A producer with `deliverBatch` receives batches (up to `batch.maxSize`, waiting at
 * most `batch.maxWaitMs` to fill one).
 */
export class SinkStage {
  readonly #o: SinkStageOptions;
  readonly #labels: { integration: string; step: string };
  #batch: { items: Pending[]; waiters: (() => void)[]; timer: NodeJS.Timeout | undefined } | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #inFlight = 0;
  /** Delivery contexts by attempt number: built once, not per message. */
  readonly #contexts: DeliveryContext<unknown, unknown>[] = [];

  constructor(options: SinkStageOptions) {
    this.#o = options;
    this.#labels = { integration: options.integration, step: options.sink };
  }

  /** Messages being delivered now (queued ones and direct hand-offs). */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Whether the producer takes batches. */
  get batched(): boolean {
    return typeof this.#o.connector.deliverBatch === "function";
  }

  /** Most messages in one batch (the stage's concurrency when batched). */
  get batchSize(): number {
    return this.#o.connector.batch?.maxSize ?? 100;
  }

  /** Handles one message from the sink's consumer. */
  handle = async (jsMsg: JsMsg): Promise<void> => {
    const pending = this.#decode(jsMsg);
    if (pending.error !== undefined) {
      await this.#fail(pending, pending.error);
      return;
    }
    if (!this.batched) {
      await this.#deliverOne(pending);
      return;
    }
    await this.#enqueue(pending);
  };

  /**
   * Delivers a message the process stage hands over directly instead of queueing it for this
   * sink (see `canHandOff` in the process stage), settling the ingress message it came from:
   * ack once delivered, NAK with this sink's backoff, or dead-letter it exactly as a queued
   * message would be — its replay goes to this sink's queue.
   * @param message - the processed message; its `attempt` is the ingress delivery count
   * @param ingress - the ingress message to settle
   */
  deliverDirect(message: Message, ingress: Settlement): Promise<void> {
    const envelope: Envelope = { ...message.meta, body: message.body };
    return this.#deliverOne({ jsMsg: ingress, envelope, message, attempt: message.meta.attempt });
  }

  #decode(jsMsg: JsMsg): Pending {
    const attempt = jsMsg.info.deliveryCount;
    try {
      const envelope = { ...decodeEnvelope(jsMsg.data).envelope, attempt };
      return { jsMsg, envelope, message: new Message(envelope, this.#o.claimCheck.reader), attempt };
    } catch (error) {
      return { jsMsg, envelope: undefined, message: undefined, attempt, error };
    }
  }

  #context(attempt: number): DeliveryContext<unknown, unknown> {
    let ctx = this.#contexts[attempt];
    if (!ctx) {
      ctx = { ...this.#o.ctx, attempt };
      if (attempt < 100) this.#contexts[attempt] = ctx;
    }
    return ctx;
  }

  async #deliverOne(p: Pending): Promise<void> {
    const started = performance.now();
    this.#inFlight += 1;
    try {
      this.#o.onDelivering?.(this.#o.sink, p.message as Message);
      await this.#o.connector.deliver(p.message as Message, this.#context(p.attempt));
      await this.#succeed(p);
    } catch (err) {
      await this.#fail(p, err);
    } finally {
      this.#inFlight -= 1;
      this.#o.metrics.stepSeconds.observe(this.#labels, (performance.now() - started) / 1000);
    }
  }

  #enqueue(p: Pending): Promise<void> {
    this.#batch ??= { items: [], waiters: [], timer: undefined };
    const batch = this.#batch;
    batch.items.push(p);
    const settled = new Promise<void>((resolve) => batch.waiters.push(resolve));
    const maxWait = this.#o.connector.batch?.maxWaitMs ?? 50;
    if (batch.items.length >= this.batchSize) this.#flush();
    else batch.timer ??= setTimeout(() => this.#flush(), maxWait);
    return settled;
  }

  #flush(): void {
    const batch = this.#batch;
    this.#batch = undefined;
    if (!batch) return;
    clearTimeout(batch.timer);
    // One batch at a time keeps a batch a unit of work (one transaction) and bounds load.
    this.#flushing = this.#flushing
      .then(() => this.#deliverBatch(batch.items))
      .finally(() => {
        for (const w of batch.waiters) w();
      });
  }

  async #deliverBatch(items: Pending[]): Promise<void> {
    const started = performance.now();
    this.#inFlight += items.length;
    let outcomes: readonly BatchOutcome[] | undefined;
    let failure: { error: unknown } | undefined;
    try {
      const attempt = Math.max(...items.map((i) => i.attempt));
      for (const item of items) this.#o.onDelivering?.(this.#o.sink, item.message as Message);
      const result = await this.#o.connector.deliverBatch?.(
        items.map((i) => i.message as Message),
        this.#context(attempt),
      );
      outcomes = result ?? undefined;
    } catch (error) {
      failure = { error };
    }
    await Promise.all(
      items.map((item, index) => {
        if (failure) return this.#fail(item, failure.error);
        const outcome = outcomes?.[index];
        if (outcome && !outcome.ok) return this.#fail(item, outcome.error);
        return this.#succeed(item);
      }),
    );
    this.#inFlight -= items.length;
    this.#o.metrics.stepSeconds.observe(this.#labels, (performance.now() - started) / 1000);
  }

  async #succeed(p: Pending): Promise<void> {
    const envelope = p.envelope as Envelope;
    this.#o.writes.defer(() => p.jsMsg.ack());
    if (envelope.body.type === "ref") {
      await this.#o.claimCheck.release(envelope.body.ref, this.#o.sink).catch((err: unknown) => {
        // The blob expires by TTL anyway; a failed release must not fail a delivery.
        this.#o.logger.warn({ msgId: envelope.id, error: (err as Error).message }, "blob release failed");
      });
    }
    this.#o.metrics.delivered.inc(this.#labels);
    const created = Date.parse(envelope.createdAt);
    if (Number.isFinite(created)) {
      this.#o.metrics.endToEndSeconds.observe(this.#labels, Math.max(0, Date.now() - created) / 1000);
    }
    this.#o.tracker.record(envelope.id, {
      stage: `sink:${this.#o.sink}`,
      state: "delivered",
      attempt: p.attempt,
    });
  }

  async #fail(p: Pending, err: unknown): Promise<void> {
    const { sink, integration } = this.#o;
    this.#o.metrics.failed.inc(this.#labels);
    const decision = decideFailure(err, p.attempt, this.#o.retry);
    const id = p.envelope?.id ?? `seq-${p.jsMsg.seq}`;
    if (decision.action === "dead-letter") {
      const written = await this.#o.deadLetters.write({
        envelope: p.envelope,
        raw: p.jsMsg.data,
        stage: "sink",
        step: sink,
        sink,
        attempts: p.attempt,
        error: decision.reason,
        code: decision.code,
        replaySubject: this.#o.replaySubject,
      });
      if (!written) {
        p.jsMsg.nak(1000);
        return;
      }
      p.jsMsg.ack();
      this.#o.metrics.deadLettered.inc(this.#labels);
      this.#o.tracker.record(id, {
        stage: `sink:${sink}`,
        state: "dead-lettered",
        attempt: p.attempt,
        error: decision.reason,
      });
      this.#o.logger.warn(
        { integration, sink, msgId: id, attempt: p.attempt, reason: decision.reason },
        "dead-lettered",
      );
      return;
    }
    p.jsMsg.nak(decision.delayMs);
    if (decision.action === "retry") {
      this.#o.metrics.retried.inc(this.#labels);
      const error = err instanceof Error ? err.message : String(err);
      this.#o.tracker.record(id, { stage: `sink:${sink}`, state: "retrying", attempt: p.attempt, error });
      this.#o.logger.info(
        { sink, msgId: id, attempt: p.attempt, delayMs: decision.delayMs, error },
        "retrying",
      );
    }
  }
}
