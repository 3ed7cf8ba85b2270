import type { Readable } from "node:stream";

/** A request body that grew past the step's `maxBodyBytes`. */
export class BodyTooLargeError extends Error {
  /**
   * @param limit - the limit in bytes
   */
  constructor(limit: number) {
    super(`request body exceeds maxBodyBytes (${limit} bytes)`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * Streams a request body, failing with {@link BodyTooLargeError} as soon as more than `limit`
 * bytes arrived. The request is not destroyed when reading stops early, so the server can still
 * answer 413 (Node discards the unread rest).
 *
 * @param raw - the incoming request
 * @param limit - the most bytes allowed
 * @example
 * ```ts
 * await emit({ body: limitedBody(request.raw, 10 * 1024 * 1024) });
 * ```
 */
export async function* limitedBody(raw: Readable, limit: number): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of raw.iterator({ destroyOnReturn: false })) {
    if (!(chunk instanceof Uint8Array)) continue;
    size += chunk.byteLength;
    if (size > limit) throw new BodyTooLargeError(limit);
    yield chunk;
  }
}

/**
 * Reads a whole request body into memory, at most `limit` bytes.
 * @param raw - the incoming request
 * @param limit - the most bytes allowed
 * @throws BodyTooLargeError past the limit
 */
export async function readBody(raw: Readable, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of limitedBody(raw, limit)) chunks.push(chunk);
  return Buffer.concat(chunks);
}
