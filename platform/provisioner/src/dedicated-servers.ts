import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { OperatorKeys } from "./operator-keys.js";
import { type OperatorNats, startOperatorNats } from "./operator-nats.js";

/** A NATS server the provisioner can reach as the system user. An {@link OperatorNats} is one. */
export interface NatsEndpoint {
  /** Client URL. */
  readonly url: string;
  /** The system user's `.creds` text (secret). */
  readonly systemCreds: string;
}

/**
 * Where dedicated servers come from. The provisioner asks for one when a tenant is placed
 * `"dedicated"` and gives it back on deprovisioning or when the tenant moves to the shared server.
 */
export interface DedicatedServers {
  /** The tenant's dedicated server, started when it has none yet. Calling it again returns the same one. */
  acquire(tenantId: string): Promise<NatsEndpoint>;
  /** Stops and removes the tenant's dedicated server; does nothing when it has none. */
  release(tenantId: string): Promise<void>;
}

/** Options of {@link LocalDedicatedServers}. */
export interface LocalDedicatedServersOptions {
  /** The operator every dedicated server trusts (the same as the shared server's, so creds stay valid). */
  operator: OperatorKeys;
  /** Parent of each server's directory (`<dir>/<tenantId>`). @default a temp dir per server */
  dir?: string;
  /** Server-wide JetStream memory cap of each server. @default nats-server's */
  maxMemoryBytes?: number;
  /** Server-wide JetStream disk cap of each server. @default nats-server's */
  maxStorageBytes?: number;
  /** The `nats-server` binary. @default found on PATH or in /usr/sbin */
  natsServerPath?: string;
}

/**
 * Dedicated servers on this machine: one more operator-mode nats-server process per dedicated
 * tenant, on a free port. For single-host deployments and tests; on Kubernetes, render
 * `kubernetesManifests` instead.
 *
 * @example
 * ```ts
 * const dedicated = new LocalDedicatedServers({ operator });
 * const provisioner = new Provisioner({ operator, shared: nats, dedicated, placement: new Placement() });
 * // …
 * await provisioner.close();
 * await dedicated.close();
 * ```
 */
export class LocalDedicatedServers implements DedicatedServers {
  readonly #options: LocalDedicatedServersOptions;
  readonly #servers = new Map<string, Promise<OperatorNats>>();

  /** @param options - operator, directory, JetStream caps */
  constructor(options: LocalDedicatedServersOptions) {
    this.#options = options;
  }

  /** @throws ServiceUnavailableError when the server does not start */
  acquire(tenantId: string): Promise<NatsEndpoint> {
    let server = this.#servers.get(tenantId);
    if (server === undefined) {
      server = this.#start(tenantId);
      this.#servers.set(tenantId, server);
      const started = server;
      // Not awaited: the caller gets `server` and its rejection. This only makes sure a failed
      // start does not stay cached, so the next acquire tries again.
      void started.catch(() => {
        if (this.#servers.get(tenantId) === started) this.#servers.delete(tenantId);
      });
    }
    return server;
  }

  async release(tenantId: string): Promise<void> {
    const server = this.#servers.get(tenantId);
    if (server === undefined) return;
    this.#servers.delete(tenantId);
    const running = await server.catch(() => undefined);
    await running?.stop();
    if (this.#options.dir !== undefined)
      await rm(join(this.#options.dir, tenantId), { recursive: true, force: true });
  }

  /** The running server of `tenantId` (its URL and pid), if any. */
  async get(tenantId: string): Promise<OperatorNats | undefined> {
    return this.#servers.get(tenantId)?.catch(() => undefined);
  }

  /** Stops every server (their directories stay when `dir` was given, so accounts survive a restart). */
  async close(): Promise<void> {
    const servers = [...this.#servers.values()];
    this.#servers.clear();
    await Promise.all(servers.map(async (server) => (await server.catch(() => undefined))?.stop()));
  }

  async #start(tenantId: string): Promise<OperatorNats> {
    const dir = this.#options.dir === undefined ? undefined : join(this.#options.dir, tenantId);
    if (dir !== undefined) await mkdir(dir, { recursive: true, mode: 0o700 });
    return startOperatorNats({
      operator: this.#options.operator,
      dir,
      serverName: `vrsky-${tenantId}`,
      maxMemoryBytes: this.#options.maxMemoryBytes,
      maxStorageBytes: this.#options.maxStorageBytes,
      natsServerPath: this.#options.natsServerPath,
    });
  }
}
