import { readFile } from "node:fs/promises";
import { z } from "zod";
import { ProvisionerError } from "./provisioner-error.js";
import { writeSecretFile } from "./secret-file.js";
import { TenantRecord, type TenantStore } from "./tenant-store.js";

const StateFile = z.object({ version: z.literal(1), tenants: z.record(z.string(), TenantRecord) });
type StateFile = z.infer<typeof StateFile>;

/**
 * A {@link TenantStore} in one JSON file (mode 0600, replaced atomically on every change). Fits a
 * single provisioner process; writes from one instance are serialised, but two processes sharing
 * the file would overwrite each other.
 *
 * @example
 * ```ts
 * const store = new JsonFileTenantStore("/var/lib/vrsky/tenants.json");
 * const provisioner = new Provisioner({ operator, shared: nats, store });
 * ```
 */
export class JsonFileTenantStore implements TenantStore {
  readonly #file: string;
  #queue: Promise<unknown> = Promise.resolve();

  /** @param file - the state file; created on the first write */
  constructor(file: string) {
    this.#file = file;
  }

  /** @throws ProvisionerError `STATE_INVALID` when the file exists but is not a valid state file */
  async get(tenantId: string): Promise<TenantRecord | undefined> {
    return (await this.#read()).tenants[tenantId];
  }

  async put(record: TenantRecord): Promise<void> {
    await this.#update((state) => {
      state.tenants[record.id] = TenantRecord.parse(record);
    });
  }

  async delete(tenantId: string): Promise<void> {
    await this.#update((state) => {
      delete state.tenants[tenantId];
    });
  }

  async list(): Promise<TenantRecord[]> {
    return Object.values((await this.#read()).tenants);
  }

  /** Read-modify-write, one at a time, so concurrent puts do not lose each other's records. */
  #update(change: (state: StateFile) => void): Promise<void> {
    const next = this.#queue.then(async () => {
      const state = await this.#read();
      change(state);
      await writeSecretFile(this.#file, `${JSON.stringify(state, null, 2)}\n`);
    });
    // The queue must survive a failed write; the caller still sees the failure through `next`.
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #read(): Promise<StateFile> {
    let text: string;
    try {
      text = await readFile(this.#file, "utf8");
    } catch (error) {
      if (error instanceof Error && "code" in error && error.code === "ENOENT") {
        return { version: 1, tenants: {} };
      }
      throw new ProvisionerError("STATE_INVALID", `cannot read the tenant state file ${this.#file}`, {
        cause: error,
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // No cause: JSON.parse quotes the text around the fault, which may hold a signing seed.
      throw new ProvisionerError("STATE_INVALID", `${this.#file} is not JSON; restore it from backup`);
    }
    const parsed = StateFile.safeParse(json);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join(".") || "(root)").join(", ");
      throw new ProvisionerError(
        "STATE_INVALID",
        `${this.#file} is not a VRSky tenant state file (bad fields: ${fields}); restore it from backup`,
      );
    }
    return parsed.data;
  }
}
