import type { Consumer, ConsumerMessages, JsMsg } from "@nats-io/jetstream";
import type { Logger } from "pino";

/** Options of {@link StageLoop}. */
export interface StageLoopOptions {
  /** The durable pull consumer to read. */
  consumer: Consumer;
  /** Most messages handled at once by this worker. */
  concurrency: number;
  /** Redelivery timeout of the consumer: long handlers send progress every half of it. */
  ackWaitMs: number;
  /** Handles one message; must ack, nak or term it. Errors are the handler's to deal with. */
  handle(msg: JsMsg): Promise<void>;
  logger: Logger;
}

/**
 * Pulls a durable consumer and hands each message to a handler, at most `concurrency` at once.
 * Pausing stops pulling (in-flight work finishes); stopping also waits for in-flight work up to
 * a deadline, after which unfinished messages are NAK'd so another worker takes them.
 */
export class StageLoop {
  readonly #o: StageLoopOptions;
  readonly #inFlight = new Map<JsMsg, { done: Promise<void>; since: number }>();
  #heartbeat: NodeJS.Timeout | undefined;
  #messages: ConsumerMessages | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #slotFreed: (() => void) | undefined;

  constructor(options: StageLoopOptions) {
    this.#o = options;
  }

  /** Messages being handled now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Starts (or resumes) pulling. */
  start(): void {
    if (this.#running || this.#stopped) return;
    // One timer for all in-flight messages: a handler slower than half the ack wait keeps its
    // message by telling the server it is still working on it.
    const every = Math.max(Math.floor(this.#o.ackWaitMs / 3), 100);
    this.#heartbeat ??= setInterval(() => {
      const now = Date.now();
      for (const [msg, { since }] of this.#inFlight) if (now - since >= every) msg.working();
    }, every);
    this.#heartbeat.unref();
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
    });
  }

  /** Stops pulling; in-flight messages finish. */
  async pause(): Promise<void> {
    const messages = this.#messages;
    this.#messages = undefined;
    await messages?.close().catch(() => undefined);
    this.#slotFreed?.();
    await this.#running;
  }

  /**
   * Stops for good: no more pulls, waits for in-flight work up to `deadlineMs`, then NAKs what
   * is left so it is redelivered at once elsewhere.
   */
  async stop(deadlineMs: number): Promise<void> {
    this.#stopped = true;
    await this.pause();
    const pending = [...this.#inFlight.values()].map((f) => f.done);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), deadlineMs);
    });
    const outcome = await Promise.race([Promise.allSettled(pending).then(() => "done" as const), timeout]);
    clearTimeout(timer);
    if (outcome === "timeout") {
      for (const msg of this.#inFlight.keys()) msg.nak();
      this.#o.logger.warn(
        { left: this.#inFlight.size },
        "drain deadline passed; returned messages for redelivery",
      );
    }
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  async #run(): Promise<void> {
    const { consumer, concurrency } = this.#o;
    while (!this.#stopped) {
      try {
        const messages = await consumer.consume({ max_messages: Math.max(concurrency, 1) });
        this.#messages = messages;
        for await (const msg of messages) {
          while (this.#inFlight.size >= concurrency) {
            await new Promise<void>((resolve) => {
              this.#slotFreed = resolve;
            });
          }
          this.#dispatch(msg);
        }
        // The iterator ends when closed by pause/stop.
        if (this.#messages !== messages || this.#stopped) return;
      } catch (err) {
        if (this.#stopped || !this.#messages) return;
        this.#o.logger.warn({ err }, "consumer interrupted; resubscribing");
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  #dispatch(msg: JsMsg): void {
    const done = this.#o
      .handle(msg)
      .catch((err: unknown) => {
        // Handlers settle their message themselves; reaching here is a bug, so let another
        // attempt happen rather than lose the message.
        this.#o.logger.error({ err }, "stage handler failed unexpectedly");
        msg.nak(1000);
      })
      .finally(() => {
        this.#inFlight.delete(msg);
        const freed = this.#slotFreed;
        this.#slotFreed = undefined;
        freed?.();
      });
    this.#inFlight.set(msg, { done, since: Date.now() });
  }
}
