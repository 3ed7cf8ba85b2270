import type { BlobReader, BlobRef, BlobStore, BodySource, MessageBody } from "@vrsky/sdk";
import { openBlobReader } from "../blob/blob-reader.js";
import type { BlobReleaser } from "../blob/blob-releaser.js";
import { storeBody } from "../blob/store-body.js";

/**
 * The claim-check services a running integration uses: where large bodies go, how they are
 * read back, and the fan-out-aware bookkeeping that deletes a blob once the last sink that
 * needs it has delivered.
 */
export interface ClaimCheck {
  /** The store new blobs are written to. */
  readonly store: BlobStore;
  /** Reads references written by any configured store, verifying checksums. */
  readonly reader: BlobReader;
  /**
   * Keeps a body inline when it is at most the threshold, otherwise streams it to the store.
   * @param key - makes a unique blob key; called only when the body goes to the store
   */
  storeBody(source: BodySource, key: () => string, signal?: AbortSignal): Promise<MessageBody>;
  /** Records that `holders` (sink names, or `process`) still need the blob. */
  retain(ref: BlobRef, holders: readonly string[]): Promise<void>;
  /** One holder is done; the blob is deleted when none are left. Idempotent. */
  release(ref: BlobRef, holder: string): Promise<void>;
}

/** The holder name of the process stage while a referenced message waits for it. */
export const PROCESS_HOLDER = "process";

/** Options of {@link createClaimCheck}. */
export interface CreateClaimCheckOptions {
  /** The store new blobs go to. */
  store: BlobStore;
  /** Other stores references may point to (e.g. the previous store after a switch). */
  otherStores?: readonly BlobStore[];
  /** Fan-out bookkeeping. */
  releaser: BlobReleaser;
  /** Largest body kept inline, in bytes. */
  thresholdBytes: number;
  /** How long blobs live at least. */
  ttlMs: number;
}

/**
 * Assembles the {@link ClaimCheck} of an integration from a store, the releaser and the
 * integration's threshold and TTL.
 */
export function createClaimCheck(options: CreateClaimCheckOptions): ClaimCheck {
  const stores = [options.store, ...(options.otherStores ?? [])];
  return {
    store: options.store,
    reader: openBlobReader(stores),
    storeBody: async (source, key, signal) => {
      // The common case — a small body already in memory — needs no blob key and no store.
      if (source.type === "bytes" && source.bytes.byteLength <= options.thresholdBytes) {
        return { type: "inline", bytes: source.bytes };
      }
      return storeBody(source, {
        thresholdBytes: options.thresholdBytes,
        ttlMs: options.ttlMs,
        store: options.store,
        key: key(),
        ...(signal ? { signal } : {}),
      });
    },
    retain: (ref, holders) => options.releaser.retain(ref, holders),
    release: async (ref, holder) => {
      await options.releaser.release(ref, holder);
    },
  };
}
