import { z } from "zod";
import type { BlobGetOptions, BlobRef } from "./blob.js";
import { ErrorCode, FatalError } from "./errors.js";

/** Content type used for bodies written with `json`. */
export const JSON_CONTENT_TYPE = "application/json";
/** Content type used for string bodies unless another is given. */
export const TEXT_CONTENT_TYPE = "text/plain; charset=utf-8";
/** Content type used for byte and stream bodies unless another is given. */
export const BINARY_CONTENT_TYPE = "application/octet-stream";

/** A body kept in the envelope itself. */
export interface InlineBody {
  readonly type: "inline";
  readonly bytes: Uint8Array;
}

/** A body kept in a blob store; the envelope carries only the reference (claim check). */
export interface ReferenceBody {
  readonly type: "ref";
  readonly ref: BlobRef;
}

/** A message body: inline bytes or a claim-check reference. */
export type MessageBody = InlineBody | ReferenceBody;

/** The metadata every VRSky message carries, whatever its body. */
export const EnvelopeMeta = z.object({
  /** Unique id; also the idempotency key a producer receives. */
  id: z.string().min(1),
  /** Tenant that owns the message. */
  tenant: z.string().min(1),
  /** Integration the message flows through. */
  integration: z.string().min(1),
  /** Name of the source step that ingested it. */
  source: z.string().min(1),
  /** When the source ingested it (ISO-8601). */
  createdAt: z.string().datetime(),
  /** Free-form string headers (HTTP headers of a webhook, CDC table, …). */
  headers: z.record(z.string(), z.string()),
  /** MIME type of the body. */
  contentType: z.string().min(1),
  /** Delivery attempt at the current step, starting at 1. */
  attempt: z.number().int().positive(),
  /** W3C trace context. */
  traceparent: z.string().optional(),
  /** W3C vendor trace state. */
  tracestate: z.string().optional(),
});
/** The metadata every VRSky message carries. */
export type EnvelopeMeta = z.infer<typeof EnvelopeMeta>;

/** A whole message as the runtime moves it: metadata plus a body. */
export interface Envelope extends EnvelopeMeta {
  readonly body: MessageBody;
}

/** Reads claim-check bodies; the runtime and the test kit provide one. */
export interface BlobReader {
  /** Streams a referenced body, verifying its checksum. */
  get(ref: BlobRef, options?: BlobGetOptions): AsyncIterable<Uint8Array>;
}

/** Options for reading a body. */
export interface ReadOptions {
  /** Stops reading a referenced body promptly when aborted. */
  signal?: AbortSignal;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * A message as a handler sees it: its metadata and one API to read the body — as bytes, text,
 * JSON or a stream — whether the body is inline or behind a claim-check reference.
 *
 * @example
 * ```ts
 * const order = await msg.json(OrderSchema); // typed, or a FatalError naming the bad field
 * for await (const chunk of msg.stream()) hash.update(chunk); // bounded memory for any size
 * ```
 */
export class Message {
  /** The message metadata. */
  readonly meta: Readonly<EnvelopeMeta>;
  /** The body as stored: inline bytes or a reference. */
  readonly body: MessageBody;
  readonly #blobs: BlobReader | undefined;

  /**
   * @param envelope - metadata and body
   * @param blobs - where referenced bodies are read from; required for reference bodies
   */
  constructor(envelope: Envelope, blobs?: BlobReader) {
    const { body, ...meta } = envelope;
    this.meta = Object.freeze({ ...meta, headers: Object.freeze({ ...meta.headers }) });
    this.body = body;
    this.#blobs = blobs;
  }

  /** Unique message id, stable across retries: use it as the idempotency key. */
  get id(): string {
    return this.meta.id;
  }

  /** MIME type of the body. */
  get contentType(): string {
    return this.meta.contentType;
  }

  /** Message headers. */
  get headers(): Readonly<Record<string, string>> {
    return this.meta.headers;
  }

  /** Size of the body in bytes. */
  get size(): number {
    return this.body.type === "inline" ? this.body.bytes.byteLength : this.body.ref.size;
  }

  /** Whether the body lives in a blob store (claim check). */
  get isReference(): boolean {
    return this.body.type === "ref";
  }

  /**
   * Streams the body in chunks. Memory stays bounded for referenced bodies of any size.
   * @throws FatalError with code `BLOB_CHECKSUM_MISMATCH` or `BLOB_NOT_FOUND` for a bad reference
   */
  stream(options: ReadOptions = {}): AsyncIterable<Uint8Array> {
    if (this.body.type === "inline") return singleChunk(this.body.bytes);
    if (!this.#blobs) {
      throw new FatalError(
        `message ${this.id} has a referenced body but no blob store is configured to read it`,
        {
          code: ErrorCode.BlobNotFound,
        },
      );
    }
    return this.#blobs.get(this.body.ref, options.signal ? { signal: options.signal } : {});
  }

  /**
   * Reads the whole body into memory. Prefer {@link Message.stream} for large bodies.
   */
  async bytes(options: ReadOptions = {}): Promise<Uint8Array> {
    if (this.body.type === "inline") return this.body.bytes;
    return collectBytes(this.stream(options));
  }

  /**
   * Reads the body as UTF-8 text.
   * @throws FatalError if the body is not valid UTF-8
   */
  async text(options: ReadOptions = {}): Promise<string> {
    const bytes = await this.bytes(options);
    try {
      return decoder.decode(bytes);
    } catch (cause) {
      throw new FatalError(`message ${this.id}: body is not valid UTF-8`, { cause });
    }
  }

  /**
   * Parses the body as JSON, and with a schema validates it too.
   *
   * @param schema - optional zod schema the value must satisfy
   * @returns the parsed value: `unknown` without a schema, the schema's type with one
   * @throws FatalError naming the problem (and the field path) for malformed or invalid bodies
   */
  async json(options?: ReadOptions): Promise<unknown>;
  async json<T>(schema: z.ZodType<T>, options?: ReadOptions): Promise<T>;
  async json<T>(schemaOrOptions?: z.ZodType<T> | ReadOptions, maybeOptions?: ReadOptions): Promise<unknown> {
    const schema = schemaOrOptions instanceof z.ZodType ? schemaOrOptions : undefined;
    const options = (schema ? maybeOptions : (schemaOrOptions as ReadOptions | undefined)) ?? {};
    const text = await this.text(options);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new FatalError(`message ${this.id}: body is not valid JSON (${(cause as Error).message})`, {
        cause,
      });
    }
    if (!schema) return value;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const problems = result.error.issues
      .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("; ");
    throw new FatalError(`message ${this.id}: body does not match the expected shape: ${problems}`, {
      cause: result.error,
    });
  }

  /**
   * A copy of this message with some metadata replaced, keeping the body and the blob store it
   * is read from. The runtime uses it to stamp the attempt number; tests use it to replay a
   * message as a retry.
   *
   * @param changes - metadata fields to replace; `headers` replaces the headers as a whole
   * @example
   * ```ts
   * const retry = msg.withMeta({ attempt: msg.meta.attempt + 1 });
   * ```
   */
  withMeta(changes: Partial<EnvelopeMeta>): Message {
    return new Message({ ...this.toEnvelope(), ...changes }, this.#blobs);
  }

  /** The envelope (metadata and body) this message was built from. */
  toEnvelope(): Envelope {
    return { ...this.meta, headers: { ...this.meta.headers }, body: this.body };
  }
}

/** What a body can be written from. */
export type BodyInit = Uint8Array | string | AsyncIterable<Uint8Array>;

interface MessageInitCommon {
  /** MIME type. @default derived from the body: JSON, UTF-8 text or octet-stream */
  contentType?: string;
  /** Headers to set; a converter's output inherits the input's headers and overrides these. */
  headers?: Record<string, string>;
  /**
   * The source's idempotency key (a webhook delivery id, a CDC LSN, a file name and offset).
   * Messages with the same key within the de-duplication window are accepted once.
   */
  key?: string;
}

/**
 * A message a handler produces: a body — raw, text, a stream, or a JSON value — plus optional
 * metadata. The runtime decides whether the body travels inline or by reference.
 *
 * @example
 * ```ts
 * await emit({ json: { orderId: 42 }, key: "order-42" });
 * await emit({ body: createReadStream(path), contentType: "text/csv" });
 * ```
 */
export type MessageInit = MessageInitCommon &
  ({ body: BodyInit; json?: never } | { json: unknown; body?: never });

/** A body normalised from a {@link MessageInit}: bytes when known in full, a stream otherwise. */
export type BodySource =
  | { readonly type: "bytes"; readonly bytes: Uint8Array; readonly contentType: string }
  | { readonly type: "stream"; readonly stream: AsyncIterable<Uint8Array>; readonly contentType: string };

/**
 * Normalises the body of a {@link MessageInit}.
 * @param init - the message a handler produced
 * @throws FatalError if a `json` value cannot be serialised (cycles, BigInt)
 */
export function toBodySource(init: MessageInit): BodySource {
  if ("json" in init && init.body === undefined) {
    let text: string | undefined;
    try {
      text = JSON.stringify(init.json);
    } catch (cause) {
      throw new FatalError(`cannot serialise message body as JSON: ${(cause as Error).message}`, { cause });
    }
    if (text === undefined) throw new FatalError("cannot serialise message body as JSON: value is undefined");
    return { type: "bytes", bytes: encoder.encode(text), contentType: init.contentType ?? JSON_CONTENT_TYPE };
  }
  const body = init.body as BodyInit;
  if (typeof body === "string") {
    return { type: "bytes", bytes: encoder.encode(body), contentType: init.contentType ?? TEXT_CONTENT_TYPE };
  }
  if (body instanceof Uint8Array) {
    return { type: "bytes", bytes: body, contentType: init.contentType ?? BINARY_CONTENT_TYPE };
  }
  return { type: "stream", stream: body, contentType: init.contentType ?? BINARY_CONTENT_TYPE };
}

/**
 * Reads an async stream of chunks into one buffer.
 * @param stream - the chunks
 */
export async function collectBytes(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk);
    size += chunk.byteLength;
  }
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

async function* singleChunk(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}
