import type { BlobStore, BodySource, InlineBody, ReferenceBody } from "@vrsky/sdk";

/** The default claim-check threshold: bodies larger than 256 KiB travel by reference. */
export const DEFAULT_INLINE_THRESHOLD_BYTES = 256 * 1024;

/** Options of {@link storeBody}. */
export interface StoreBodyOptions {
  /** Largest body, in bytes, that stays inline; anything larger goes to `store`. */
  thresholdBytes: number;
  /** TTL of the blob if the body goes to the store, in milliseconds. */
  ttlMs: number;
  /** Where a body over the threshold goes. */
  store: BlobStore;
  /** Key of the blob if the body goes to the store, e.g. the message id. */
  key: string;
  /** Content type recorded with the blob. @default the source's content type, if it is a {@link BodySource} */
  contentType?: string;
  /** Stops reading and uploading promptly when aborted. */
  signal?: AbortSignal;
}

/**
 * Decides whether a body travels inline or by reference (claim check) by its size, reading a
 * stream only until the threshold is crossed: a body at or under `thresholdBytes` comes back
 * inline; a larger one is streamed — the buffered prefix, then the rest — into the store, so at
 * most about `thresholdBytes` (plus one chunk) is ever held in memory.
 *
 * @param source - the body: a {@link BodySource}, bytes, or a stream of chunks
 * @param options - threshold, TTL, store, key
 * @returns an inline body, or a reference to the stored blob
 * @throws RangeError if `thresholdBytes` is negative or not an integer
 * @throws whatever the store's `put` throws (RetryableError when the store is unavailable)
 * @example
 * ```ts
 * const body = await storeBody(toBodySource(init), { thresholdBytes: DEFAULT_INLINE_THRESHOLD_BYTES, ttlMs, store, key: msgId });
 * ```
 */
export async function storeBody(
  source: BodySource | Uint8Array | AsyncIterable<Uint8Array>,
  options: StoreBodyOptions,
): Promise<InlineBody | ReferenceBody> {
  const { thresholdBytes, signal } = options;
  if (!Number.isInteger(thresholdBytes) || thresholdBytes < 0) {
    throw new RangeError(`thresholdBytes must be a non-negative integer, got ${thresholdBytes}`);
  }
  signal?.throwIfAborted();
  const body = source instanceof Uint8Array ? source : "type" in source ? sourceBody(source) : source;
  const contentType = options.contentType ?? ("type" in source ? source.contentType : undefined);
  const putOptions = {
    ttlMs: options.ttlMs,
    ...(contentType ? { contentType } : {}),
    ...(signal ? { signal } : {}),
  };

  if (body instanceof Uint8Array) {
    if (body.byteLength <= thresholdBytes) return { type: "inline", bytes: body };
    return { type: "ref", ref: await options.store.put(options.key, body, putOptions) };
  }

  const iterator = body[Symbol.asyncIterator]();
  const prefix: Uint8Array[] = [];
  let size = 0;
  let finished = false;
  try {
    while (size <= thresholdBytes) {
      signal?.throwIfAborted();
      const next = await iterator.next();
      if (next.done) {
        finished = true;
        return { type: "inline", bytes: concat(prefix, size) };
      }
      prefix.push(next.value);
      size += next.value.byteLength;
    }
    const ref = await options.store.put(options.key, prefixThenRest(prefix, iterator), putOptions);
    finished = true;
    return { type: "ref", ref };
  } finally {
    // Aborted, or the store failed (perhaps before reading a byte): close the source.
    if (!finished) await closeQuietly(iterator);
  }
}

function sourceBody(source: BodySource): Uint8Array | AsyncIterable<Uint8Array> {
  return source.type === "bytes" ? source.bytes : source.stream;
}

async function* prefixThenRest(
  prefix: Uint8Array[],
  iterator: AsyncIterator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  try {
    // Drop each buffered chunk once passed on, so the prefix is not held for the whole upload.
    while (prefix.length > 0) {
      const chunk = prefix.shift();
      if (chunk) yield chunk;
    }
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await closeQuietly(iterator);
  }
}

/** Closes a source; an error from closing must not hide the error that made us close it. */
async function closeQuietly(iterator: AsyncIterator<Uint8Array>): Promise<void> {
  try {
    await iterator.return?.();
  } catch {
    // The caller is already failing or done; the source's own close error adds nothing.
  }
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
