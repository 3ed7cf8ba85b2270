import type { BlobGetOptions, BlobReader, BlobRef, BlobStore } from "@vrsky/sdk";
import { unknownBlobStore } from "./blob-errors.js";

/**
 * A {@link BlobReader} over several stores: each reference is read from the store whose name
 * it records, so messages written through any configured backend can be read back.
 *
 * @param stores - the configured stores; their names must be unique
 * @returns a reader whose `get` fails with FatalError `BLOB_NOT_FOUND` (on first read) for a
 *   reference naming a store not in `stores`
 * @throws Error if two stores share a name
 * @example
 * ```ts
 * const reader = openBlobReader([jetstreamStore, s3Store]);
 * const msg = new Message(envelope, reader);
 * ```
 */
export function openBlobReader(stores: readonly BlobStore[]): BlobReader {
  const byName = new Map<string, BlobStore>();
  for (const store of stores) {
    if (byName.has(store.name)) {
      throw new Error(
        `two blob stores are both named "${store.name}": give each store a unique name, since references are dispatched by it`,
      );
    }
    byName.set(store.name, store);
  }
  return {
    get(ref: BlobRef, options?: BlobGetOptions): AsyncIterable<Uint8Array> {
      const store = byName.get(ref.store);
      if (store) return store.get(ref, options);
      return failing(() => unknownBlobStore(ref, [...byName.keys()]));
    },
  };
}

/** Errors on first read, like a store's own `get`, so callers handle one failure path. */
async function* failing(error: () => Error): AsyncGenerator<Uint8Array> {
  yield* [];
  throw error();
}
