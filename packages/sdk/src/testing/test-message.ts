import { randomUUID } from "node:crypto";
import type { BlobStore } from "../blob.js";
import { Message, type MessageInit } from "../message.js";
import { newTraceparent } from "../trace.js";
import { MemoryBlobStore } from "./memory-blob-store.js";
import { placeBody } from "./message-body.js";
import { TEST_DEFAULTS } from "./test-defaults.js";

/** A {@link MessageInit} plus the envelope fields a test may pin. */
export type TestMessageInit = MessageInit & {
  /** Message id (the idempotency key producers see). @default a random UUID */
  id?: string;
  /** @default "test-tenant" */
  tenant?: string;
  /** @default "test-integration" */
  integration?: string;
  /** Source step name. @default "test-source" */
  source?: string;
  /** Delivery attempt, from 1. @default 1 */
  attempt?: number;
  /** Ingestion time. @default now */
  createdAt?: Date | string;
  /** W3C trace context. @default a new trace */
  traceparent?: string;
  /** Store the body in the blob store and give the message a claim-check reference. @default false */
  reference?: boolean;
};

/** What the runners accept as input: a message to build (with optional pinned fields), or a built one. */
export type TestInput = TestMessageInit | Message;

/**
 * Builds a real {@link Message}, as the runtime would hand it to a handler.
 *
 * @param init - the body and metadata; `reference: true` stores the body in `blobs` and gives
 *   the message a reference body, so the handler reads it like a claim-checked payload
 * @param blobs - the blob store for referenced bodies @default a new {@link MemoryBlobStore}
 * @throws FatalError if a `json` body cannot be serialised
 * @example
 * ```ts
 * const msg = await createTestMessage({ json: { id: 1 }, headers: { "x-kind": "order" } });
 * const big = await createTestMessage({ body: bytes, reference: true }, blobs);
 * ```
 */
export async function createTestMessage(init: TestMessageInit, blobs?: BlobStore): Promise<Message> {
  const id = init.id ?? randomUUID();
  const store = blobs ?? new MemoryBlobStore();
  const { body, contentType } = await placeBody(init, {
    blobs: store,
    key: id,
    reference: init.reference ?? false,
  });
  const createdAt = init.createdAt ?? new Date();
  return new Message(
    {
      id,
      tenant: init.tenant ?? TEST_DEFAULTS.tenant,
      integration: init.integration ?? TEST_DEFAULTS.integration,
      source: init.source ?? TEST_DEFAULTS.source,
      createdAt: typeof createdAt === "string" ? createdAt : createdAt.toISOString(),
      headers: { ...init.headers },
      contentType,
      attempt: init.attempt ?? 1,
      traceparent: init.traceparent ?? newTraceparent(),
      body,
    },
    store,
  );
}

/**
 * Whether a runner input is an already built {@link Message}.
 * @param value - a runner input
 */
export function isMessage(value: TestInput): value is Message {
  // Duck-typed too: a connector built against another copy of the SDK passes its own Message class.
  return value instanceof Message || typeof (value as { toEnvelope?: unknown }).toEnvelope === "function";
}

/**
 * Turns a runner input into a message: a built one is returned as it is.
 * @param input - a message or a message to build
 * @param blobs - the blob store for referenced bodies
 */
export async function toTestMessage(input: TestInput, blobs: BlobStore): Promise<Message> {
  return isMessage(input) ? input : createTestMessage(input, blobs);
}
