import type { JetStreamClient } from "@nats-io/jetstream";
import {
  type ConnectorContext,
  type ConsumerConnector,
  type ConsumerContext,
  type Emit,
  type EmitOptions,
  type EmitResult,
  type Envelope,
  FatalError,
  type MessageInit,
  newTraceparent,
  RetryableError,
  toBodySource,
} from "@vrsky/sdk";
import type { Logger } from "pino";
import { type ClaimCheck, PROCESS_HOLDER } from "./claim-check.js";
import { encodeEnvelope } from "./envelope-codec.js";
import { publishFailure } from "./failure-policy.js";
import type { CheckpointWriter } from "./kv-state-store.js";
import type { RuntimeMetrics } from "./runtime-metrics.js";
import type { StatusTracker } from "./status-tracker.js";
import type { WriteCoalescer } from "./write-coalescer.js";

/** Options of {@link SourceRunner}. */
export interface SourceRunnerOptions {
  tenant: string;
  integration: string;
  name: string;
  connector: ConsumerConnector;
  ctx: ConnectorContext<unknown, unknown>;
  js: JetStreamClient;
  subject: string;
  claimCheck: ClaimCheck;
  checkpoints: CheckpointWriter<unknown>;
  tracker: StatusTracker;
  metrics: RuntimeMetrics;
  logger: Logger;
  writes: WriteCoalescer;
  /**
   * Most emits being stored at once. More wait their turn: a source that emits faster than the
   * stages can process must not crowd their publishes and acks off the connection.
   */
  maxInFlight: number;
  /** Resolves when the integration is not paused. */
  whenRunning(): Promise<void>;
}

/**
 * Runs a consumer connector: calls its `start` with a context and an `emit` that resolves only
 * after JetStream stored the message, restarts it with backoff if it fails, and stops it when
 * the signal aborts.
 */
export class SourceRunner {
  readonly #o: SourceRunnerOptions;
  readonly #labels: { integration: string; step: string };
  #inFlight = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(options: SourceRunnerOptions) {
    this.#o = options;
    this.#labels = { integration: options.integration, step: options.name };
  }

  /** The emit function the connector receives. */
  emit: Emit<unknown> = async (init: MessageInit, options = {}): Promise<EmitResult> => {
    await this.#o.whenRunning();
    if (this.#o.ctx.signal.aborted) throw new RetryableError("the integration is stopping; keep the message");
    if (this.#inFlight >= this.#o.maxInFlight)
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#inFlight += 1;
    try {
      return await this.#accept(init, options);
    } finally {
      this.#inFlight -= 1;
      this.#waiting.shift()?.();
    }
  };

  async #accept(init: MessageInit, options: EmitOptions<unknown>): Promise<EmitResult> {
    const id = init.key ?? crypto.randomUUID();
    const source = toBodySource(init);
    const body = await this.#o.claimCheck.storeBody(
      source,
      () => `${this.#o.integration}/${encodeURIComponent(id)}/${crypto.randomUUID()}`,
      this.#o.ctx.signal,
    );
    const envelope: Envelope = {
      id,
      tenant: this.#o.tenant,
      integration: this.#o.integration,
      source: this.#o.name,
      createdAt: new Date().toISOString(),
      headers: { ...init.headers },
      contentType: source.contentType,
      attempt: 1,
      traceparent: newTraceparent(),
      body,
    };
    if (body.type === "ref") await this.#o.claimCheck.retain(body.ref, [PROCESS_HOLDER]);
    let duplicate: boolean;
    try {
      const data = encodeEnvelope(envelope);
      const ack = await this.#o.writes.deferAsync(() =>
        this.#o.js.publish(this.#o.subject, data, { msgID: id }),
      );
      duplicate = ack.duplicate;
    } catch (err) {
      if (body.type === "ref")
        await this.#o.claimCheck.release(body.ref, PROCESS_HOLDER).catch(() => undefined);
      if (err instanceof Error && /max(imum)? payload|message size/i.test(err.message)) {
        throw new FatalError(
          `message ${id} is larger than the stream accepts; lower the claim-check threshold`,
          {
            cause: err,
          },
        );
      }
      throw publishFailure(err, this.#o.subject);
    }
    if (duplicate) {
      // The first copy is in flight already; this one's blob is not needed.
      if (body.type === "ref")
        await this.#o.claimCheck.release(body.ref, PROCESS_HOLDER).catch(() => undefined);
    } else {
      this.#o.metrics.received.inc(this.#labels);
      this.#o.tracker.record(id, { stage: "source", state: "accepted" });
    }
    if (options.checkpoint !== undefined) this.#o.checkpoints.set(options.checkpoint);
    return { id, duplicate };
  }

  /**
   * Runs the connector until `signal` aborts; restarts it after failures with backoff
   * (1 s doubling to 30 s). Returns when stopped or when the source says it is exhausted.
   */
  async run(signal: AbortSignal): Promise<void> {
    const { connector, logger } = this.#o;
    let failures = 0;
    while (!signal.aborted) {
      const ctx: ConsumerContext<unknown, unknown, unknown> = {
        ...this.#o.ctx,
        signal,
        checkpoint: {
          load: async () => {
            const raw = await this.#o.checkpoints.load();
            if (raw === undefined || !connector.checkpoint) return raw;
            const parsed = connector.checkpoint.safeParse(raw);
            if (parsed.success) return parsed.data;
            logger.warn(
              { source: this.#o.name },
              "stored checkpoint does not match the connector's schema; starting fresh",
            );
            return undefined;
          },
          save: (value) => this.#o.checkpoints.save(value),
        },
      };
      try {
        await connector.start(ctx, this.emit);
        if (!signal.aborted) logger.info({ source: this.#o.name }, "source finished: nothing more to read");
        return;
      } catch (err) {
        if (signal.aborted) return;
        failures += 1;
        const delay = Math.min(30_000, 1000 * 2 ** (failures - 1));
        logger.error(
          { source: this.#o.name, error: (err as Error).message, retryInMs: delay },
          "source failed; restarting",
        );
        await abortableDelay(delay, signal);
      }
    }
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal.removeEventListener("abort", finish);
      resolve();
    }
    signal.addEventListener("abort", finish, { once: true });
  });
}
