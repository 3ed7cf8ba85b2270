import type { KV } from "@nats-io/kv";

/** Options of {@link holdLease}. */
export interface LeaseOptions {
  /** The bucket holding leases; its TTL must equal `ttlMs`. */
  kv: KV;
  /** What is leased, e.g. `source.intake`. */
  key: string;
  /** Who holds it: a unique worker id. */
  holder: string;
  /** How long a lease lives without renewal. Fail-over takes at most this long. */
  ttlMs: number;
  /** Stops trying and releases the lease. */
  signal: AbortSignal;
  /** Called when the lease is acquired; the returned signal aborts when it is lost. */
  onAcquired(lost: AbortSignal): void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Keeps a singleton (a CDC slot reader, a directory watcher) on one worker at a time. The lease
 * is a KV key created only if absent; the holder renews it every third of the TTL with an
 * optimistic-concurrency update, and the bucket's TTL removes it if the holder dies, letting a
 * standby take over. Resolves when `signal` aborts.
 */
export async function holdLease(options: LeaseOptions): Promise<void> {
  const { kv, key, holder, ttlMs, signal } = options;
  const interval = Math.max(50, Math.floor(ttlMs / 3));
  let revision: number | undefined;
  let lost: AbortController | undefined;
  const value = encoder.encode(holder);
  while (!signal.aborted) {
    try {
      if (revision === undefined) {
        revision = await tryAcquire(kv, key, holder, value);
        if (revision !== undefined) {
          lost = new AbortController();
          options.onAcquired(lost.signal);
        }
      } else {
        revision = await kv.update(key, value, revision);
      }
    } catch {
      // Renewal refused (another holder took over after we stalled) or NATS unreachable:
      // stop the singleton now, since we can no longer prove we hold the lease.
      revision = undefined;
      lost?.abort(new Error(`lease ${key} lost`));
      lost = undefined;
    }
    await sleep(interval, signal);
  }
  lost?.abort(new Error("stopping"));
  if (revision !== undefined) {
    await kv.delete(key, { previousSeq: revision }).catch(() => undefined);
  }
}

async function tryAcquire(
  kv: KV,
  key: string,
  holder: string,
  value: Uint8Array,
): Promise<number | undefined> {
  const entry = await kv.get(key);
  if (entry && entry.operation === "PUT" && entry.length > 0) {
    // A worker restarted with the same id takes its own lease back at once.
    if (decoder.decode(entry.value) === holder) return kv.update(key, value, entry.revision);
    return undefined;
  }
  try {
    return entry ? await kv.update(key, value, entry.revision) : await kv.create(key, value);
  } catch {
    return undefined;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
