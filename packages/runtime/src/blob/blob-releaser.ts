import { createHash } from "node:crypto";
import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";
import { type KV, type KvEntry, Kvm } from "@nats-io/kv";
import { BlobRef, type BlobStore, RetryableError } from "@vrsky/sdk";
import { z } from "zod";
import { blobStoreFailure, unknownBlobStore } from "./blob-errors.js";
import { DEFAULT_BLOB_MAX_AGE_MS, isExpired } from "./expiry.js";
import { type JetStreamTarget, toJetStreamClient } from "./jetstream-target.js";

/** Options of a {@link BlobReleaser}. */
export interface BlobReleaserOptions {
  /** The NATS connection or JetStream client to use. The releaser never closes it. */
  connection: JetStreamTarget;
  /** KV bucket holding one entry per retained blob; created if missing. */
  bucket: string;
  /** The stores blobs are deleted from, picked by each reference's `store` name. */
  stores: readonly BlobStore[];
  /**
   * Max age of the KV bucket when the releaser creates it, a safety net for entries nobody
   * releases or sweeps. @default DEFAULT_BLOB_MAX_AGE_MS (30 min)
   */
  maxAgeMs?: number;
}

/** What one {@link BlobReleaser.release} did. */
export interface ReleaseResult {
  /** Whether this call released the last holder and so deleted the blob. */
  deleted: boolean;
}

/** The KV value of one retained blob. */
const RetainEntry = z.object({
  ref: BlobRef,
  holders: z.array(z.string().min(1)),
});
type RetainEntry = z.infer<typeof RetainEntry>;

/** Compare-and-set attempts before giving up; conflicts only come from concurrent holders. */
const MAX_ATTEMPTS = 50;

/**
 * Fan-out-aware deletion of claim-check blobs. When one message goes to several sinks, the
 * blob must outlive the slowest of them: {@link BlobReleaser.retain} records which holders
 * (sinks) still need it, each sink {@link BlobReleaser.release}s it once delivered, and the
 * last release deletes the blob. State is one NATS KV entry per blob, changed only by
 * compare-and-set, so concurrent releases from different workers delete exactly once.
 * Blobs whose holders never release are removed by their TTL ({@link BlobReleaser.sweep}).
 *
 * @example
 * ```ts
 * await releaser.retain(ref, ["slack", "s3-archive"]);
 * // in each sink, after delivery:
 * await releaser.release(ref, "slack");
 * ```
 */
export class BlobReleaser {
  /** The KV bucket. */
  readonly bucket: string;
  readonly #options: BlobReleaserOptions;
  readonly #stores: ReadonlyMap<string, BlobStore>;
  #opening: Promise<KV> | undefined;

  /**
   * @param options - connection, KV bucket and the stores to delete from
   */
  constructor(options: BlobReleaserOptions) {
    this.bucket = options.bucket;
    this.#options = options;
    this.#stores = new Map(options.stores.map((s) => [s.name, s]));
  }

  /**
   * Records that `holders` each still need the blob. Retaining a blob already retained adds
   * the new holders. With no holders nobody needs it, so it is deleted at once.
   * @param ref - the blob
   * @param holders - names of the holders, e.g. sink step names
   * @throws RetryableError if NATS fails
   */
  async retain(ref: BlobRef, holders: readonly string[]): Promise<void> {
    if (holders.length === 0) {
      await this.#storeFor(ref).delete(ref);
      return;
    }
    await this.#withKv(`retaining blob "${ref.key}"`, async (kv) => {
      const key = entryKey(ref);
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const current = liveEntry(await kv.get(key));
        const value = { ref, holders: [...new Set([...(current?.value.holders ?? []), ...holders])] };
        if (
          await tryWrite(() =>
            current ? kv.update(key, encode(value), current.revision) : kv.create(key, encode(value)),
          )
        ) {
          return;
        }
      }
      throw tooContended(ref, this.bucket);
    });
  }

  /**
   * Removes one holder; when it was the last, deletes the KV entry and then the blob. Releasing
   * a holder that is not (or no longer) recorded does nothing, so releasing twice is harmless.
   * @param ref - the blob
   * @param holder - the holder releasing it
   * @returns whether this call deleted the blob
   * @throws RetryableError if NATS or the store fails
   */
  async release(ref: BlobRef, holder: string): Promise<ReleaseResult> {
    const entry = await this.#withKv(`releasing blob "${ref.key}" for "${holder}"`, async (kv) => {
      const key = entryKey(ref);
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const current = liveEntry(await kv.get(key));
        if (!current?.value.holders.includes(holder)) return undefined;
        const holders = current.value.holders.filter((h) => h !== holder);
        const written =
          holders.length === 0
            ? await tryWrite(() => kv.delete(key, { previousSeq: current.revision }))
            : await tryWrite(() => kv.update(key, encode({ ...current.value, holders }), current.revision));
        if (written) return holders.length === 0 ? current.value : undefined;
      }
      throw tooContended(ref, this.bucket);
    });
    if (!entry) return { deleted: false };
    // The entry is gone, so no other release can reach here. Should this delete fail, the
    // blob's expiry still gets it swept.
    await this.#storeFor(entry.ref).delete(entry.ref);
    return { deleted: true };
  }

  /**
   * The holders still recorded for a blob.
   * @param ref - the blob
   * @returns the holders, empty when none remain or the blob was never retained
   */
  async holders(ref: BlobRef): Promise<string[]> {
    return this.#withKv(`reading holders of blob "${ref.key}"`, async (kv) => {
      return liveEntry(await kv.get(entryKey(ref)))?.value.holders ?? [];
    });
  }

  /**
   * Removes entries whose blob has expired (their holders will never release them, or too
   * late to matter) and deletes those blobs; drops unreadable entries too.
   * @param now - the reference time @default new Date()
   * @returns how many entries were removed
   */
  async sweep(now: Date = new Date()): Promise<number> {
    return this.#withKv(`sweeping blob releaser bucket "${this.bucket}"`, async (kv) => {
      const keys: string[] = [];
      for await (const key of await kv.keys()) keys.push(key);
      let removed = 0;
      for (const key of keys) {
        const raw = await kv.get(key);
        if (raw?.operation !== "PUT") continue;
        const parsed = parseEntry(raw);
        if (parsed && !isExpired(parsed.ref.expiresAt, now)) continue;
        if (!(await tryWrite(() => kv.delete(key, { previousSeq: raw.revision })))) continue;
        removed++;
        const store = parsed && this.#stores.get(parsed.ref.store);
        if (parsed && store) await store.delete(parsed.ref);
      }
      return removed;
    });
  }

  #storeFor(ref: BlobRef): BlobStore {
    const store = this.#stores.get(ref.store);
    if (!store) throw unknownBlobStore(ref, [...this.#stores.keys()]);
    return store;
  }

  async #withKv<T>(action: string, work: (kv: KV) => Promise<T>): Promise<T> {
    try {
      return await work(await this.#open());
    } catch (error) {
      throw blobStoreFailure(
        `${action} in KV bucket "${this.bucket}"`,
        "check that NATS is reachable",
        error,
      );
    }
  }

  #open(): Promise<KV> {
    if (!this.#opening) {
      const maxAgeMs = this.#options.maxAgeMs ?? DEFAULT_BLOB_MAX_AGE_MS;
      this.#opening = new Kvm(toJetStreamClient(this.#options.connection)).create(this.bucket, {
        ttl: maxAgeMs,
        history: 1,
      });
      // A failed open (NATS down) must not stick: the next call tries again.
      this.#opening.catch(() => {
        this.#opening = undefined;
      });
    }
    return this.#opening;
  }
}

/** KV keys allow only `[-/_=.a-zA-Z0-9]`: hash the store and blob key into one. */
function entryKey(ref: BlobRef): string {
  return createHash("sha256").update(`${ref.store}\n${ref.key}`).digest("hex");
}

function encode(entry: RetainEntry): string {
  return JSON.stringify(entry);
}

function parseEntry(entry: KvEntry): RetainEntry | undefined {
  try {
    const result = RetainEntry.safeParse(entry.json());
    return result.success ? result.data : undefined;
  } catch {
    return undefined; // not JSON: not written by VRSky
  }
}

function liveEntry(entry: KvEntry | null): { value: RetainEntry; revision: number } | undefined {
  if (entry?.operation !== "PUT") return undefined;
  const value = parseEntry(entry);
  return value && { value, revision: entry.revision };
}

/** Runs a compare-and-set write; `false` when another writer got there first. */
async function tryWrite(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
}

function isConflict(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence ||
      error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

function tooContended(ref: BlobRef, bucket: string): RetryableError {
  return new RetryableError(
    `blob "${ref.key}": KV bucket "${bucket}" entry kept changing under ${MAX_ATTEMPTS} compare-and-set attempts; ` +
      "the step is retried",
  );
}
