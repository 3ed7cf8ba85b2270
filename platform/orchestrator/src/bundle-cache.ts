import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BundleStore, PinnedConnector } from "@vrsky/platform-api";
import type { CachedBundle } from "./protocol.js";

/**
 * Registry bundles on local disk, named by their SHA-256. A bundle is fetched from the bundle
 * store once, checked against the hash pinned at deploy time, and written atomically; a cached
 * file is checked again before it is handed out, so a corrupted or swapped file is never loaded.
 */
export class BundleCache {
  readonly #dir: string;
  readonly #store: BundleStore;

  /**
   * @param dir - where bundles are kept (created if missing)
   * @param store - the registry's bundle store
   */
  constructor(dir: string, store: BundleStore) {
    this.#dir = dir;
    this.#store = store;
  }

  /**
   * The cached file of a pinned connector, fetching it first if needed.
   * @throws Error when the stored bundle does not match the pinned SHA-256
   */
  async get(pin: PinnedConnector): Promise<CachedBundle> {
    const file = join(this.#dir, `${pin.sha256}.mjs`);
    const cached = await readFile(file).catch(() => undefined);
    if (cached === undefined || sha256(cached) !== pin.sha256) {
      const bytes = await this.#store.get(pin.bundleKey);
      const actual = sha256(bytes);
      if (actual !== pin.sha256) {
        throw new Error(
          `registry bundle ${pin.name}@${pin.version} has sha256 ${actual.slice(0, 12)}…, but ${pin.sha256.slice(0, 12)}… was pinned at deploy; refusing it`,
        );
      }
      await mkdir(this.#dir, { recursive: true });
      const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temp, bytes);
      await rename(temp, file);
    }
    return { ref: pin.ref, file, sha256: pin.sha256 };
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
