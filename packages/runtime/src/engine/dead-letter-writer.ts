import type { JetStreamClient } from "@nats-io/jetstream";
import { BINARY_CONTENT_TYPE, type Envelope } from "@vrsky/sdk";
import type { Logger } from "pino";
import { encodeEnvelope } from "./envelope-codec.js";

/** One message to dead-letter. */
export interface DeadLetter {
  /** The decoded message, or `undefined` when the payload was not a VRSky envelope. */
  envelope: Envelope | undefined;
  /** The payload as received, kept when it could not be decoded. */
  raw: Uint8Array;
  stage: "process" | "sink";
  step: string;
  sink?: string;
  attempts: number;
  error: string;
  code: string;
  /** Where a replay publishes the message again. */
  replaySubject: string;
}

/** Options of {@link DeadLetterWriter}. */
export interface DeadLetterWriterOptions {
  js: JetStreamClient;
  subject: string;
  tenant: string;
  integration: string;
  logger: Logger;
}

/** Most characters of an error message kept in the DLQ. */
const MAX_ERROR = 2000;

/**
 * Writes failed messages to the integration's DLQ stream together with why, where and after
 * how many attempts they failed, and their original headers. A message is acknowledged at its
 * stage only after its dead letter is stored.
 */
export class DeadLetterWriter {
  readonly #o: DeadLetterWriterOptions;

  constructor(options: DeadLetterWriterOptions) {
    this.#o = options;
  }

  /**
   * Stores one dead letter.
   * @returns `false` when the DLQ refused it (full, or NATS away): the caller must keep the
   *   message and try again later
   */
  async write(letter: DeadLetter): Promise<boolean> {
    const envelope: Envelope = letter.envelope ?? {
      id: `undecodable-${crypto.randomUUID()}`,
      tenant: this.#o.tenant,
      integration: this.#o.integration,
      source: "unknown",
      createdAt: new Date().toISOString(),
      headers: {},
      contentType: BINARY_CONTENT_TYPE,
      attempt: letter.attempts,
      body: { type: "inline", bytes: letter.raw },
    };
    const data = encodeEnvelope(envelope, {
      error: letter.error.slice(0, MAX_ERROR),
      code: letter.code,
      stage: letter.stage,
      step: letter.step,
      ...(letter.sink ? { sink: letter.sink } : {}),
      attempts: letter.attempts,
      failedAt: new Date().toISOString(),
      replaySubject: letter.replaySubject,
    });
    try {
      await this.#o.js.publish(this.#o.subject, data);
      return true;
    } catch (err) {
      this.#o.logger.error(
        { msgId: envelope.id, error: (err as Error).message },
        "cannot write to the DLQ; will retry",
      );
      return false;
    }
  }
}
