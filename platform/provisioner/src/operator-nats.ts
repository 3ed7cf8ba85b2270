import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { NatsConnection } from "@nats-io/transport-node";
import { findNatsServer, NATS_SERVER_INSTALL_HINT, ServiceUnavailableError } from "@vrsky/services";
import { connectWithCreds } from "./creds.js";
import { writeNatsServerConfig } from "./nats-server-config.js";
import type { OperatorKeys } from "./operator-keys.js";

/** Options of {@link startOperatorNats}. */
export interface StartOperatorNatsOptions {
  /** The operator the server trusts. */
  operator: OperatorKeys;
  /**
   * Directory for `nats.conf`, the resolver's account JWTs (`jwt/`) and JetStream (`jetstream/`).
   * Kept on stop, so a server started again on it finds its accounts and streams.
   * @default a new temp dir, removed by `stop()`
   */
  dir?: string;
  /** Client port. @default a free port picked by nats-server (`-1`) */
  port?: number;
  /** `server_name`. @default nats-server's generated id */
  serverName?: string;
  /** Server-wide JetStream memory cap in bytes. @default nats-server's */
  maxMemoryBytes?: number;
  /** Server-wide JetStream disk cap in bytes. @default nats-server's */
  maxStorageBytes?: number;
  /** Account JWTs to preload, by account public key (see `NatsServerConfigOptions.preload`). @default none */
  preload?: Readonly<Record<string, string>>;
  /** The `nats-server` binary. @default found on PATH or in /usr/sbin, /usr/local/bin */
  natsServerPath?: string;
  /** How long to wait for the server to accept the system user. @default 20000 */
  startTimeoutMs?: number;
  /** Aborts the startup: the process is killed, a temp dir removed, the reason thrown. */
  signal?: AbortSignal;
}

/** An operator-mode nats-server started by {@link startOperatorNats}. */
export interface OperatorNats {
  /** Client URL, e.g. `nats://127.0.0.1:41234`. */
  readonly url: string;
  /** Client port. */
  readonly port: number;
  /** The server's OS process id; `undefined` once it has exited. */
  readonly pid: number | undefined;
  /** The system user's `.creds` text (a secret: it can update and delete every account). */
  readonly systemCreds: string;
  /** The directory holding `nats.conf`, `jwt/` and `jetstream/`. */
  readonly dir: string;
  /** The generated config file. */
  readonly configFile: string;
  /** Opens a connection as the system user; the caller closes it. */
  connectSystem(): Promise<NatsConnection>;
  /** Stops the server (SIGTERM, SIGKILL after 10 s); removes `dir` if it was a temp dir. Idempotent. */
  stop(): Promise<void>;
}

const LISTENING = /Listening for client connections on \S+:(\d+)/;
const MAX_OUTPUT_CHARS = 8_000;
const STOP_GRACE_MS = 10_000;
const live = new Set<ChildProcess>();
/** Temp dirs this module created and has not removed yet. */
const tempDirs = new Set<string>();

/**
 * Spawns a nats-server in operator mode (full resolver, JetStream) and resolves once it accepts
 * the system user.
 *
 * `startNatsServer` from `@vrsky/services` cannot start this server: its readiness probe connects
 * without credentials, which operator mode always rejects (`Authorization Violation`), and
 * nats-server refuses `no_auth_user` with a trusted operator. So this launcher probes as the
 * system user instead.
 *
 * @param options - operator, directory, port, binary, abort signal
 * @returns the running server
 * @throws ServiceUnavailableError when nats-server is missing, exits or does not accept the system user in time
 * @example
 * ```ts
 * const operator = await createOperator();
 * const nats = await startOperatorNats({ operator });
 * try {
 *   const provisioner = new Provisioner({ operator, server: nats });
 *   // …
 * } finally {
 *   await nats.stop();
 * }
 * ```
 */
export async function startOperatorNats(options: StartOperatorNatsOptions): Promise<OperatorNats> {
  options.signal?.throwIfAborted();
  const binary = await findNatsServer(options.natsServerPath);
  if (binary === undefined) {
    throw new ServiceUnavailableError(`nats-server not found (${options.natsServerPath ?? "on PATH"})`, {
      service: "nats",
      fix: NATS_SERVER_INSTALL_HINT,
    });
  }
  installExitHook();
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), "vrsky-operator-nats-")));
  if (ownsDir) tempDirs.add(dir);
  const configFile = join(dir, "nats.conf");
  const systemCreds = options.operator.systemCreds;
  let child: ChildProcess | undefined;
  try {
    await mkdir(join(dir, "jwt"), { recursive: true });
    await writeNatsServerConfig(configFile, {
      operator: options.operator,
      resolverDir: join(dir, "jwt"),
      storeDir: join(dir, "jetstream"),
      port: options.port ?? -1,
      serverName: options.serverName,
      maxMemoryBytes: options.maxMemoryBytes,
      maxStorageBytes: options.maxStorageBytes,
      preload: options.preload,
    });
    const started = spawnServer(binary, configFile);
    child = started.child;
    const port = await waitUntilReady(started, systemCreds, options.startTimeoutMs ?? 20_000, options.signal);
    return handle(started, { port, dir, ownsDir, configFile, systemCreds });
  } catch (error) {
    if (child !== undefined) await stopChild(child);
    if (ownsDir) await removeTempDir(dir);
    if (options.signal?.aborted) throw options.signal.reason;
    if (error instanceof ServiceUnavailableError) throw error;
    throw new ServiceUnavailableError(
      `operator-mode nats-server (${binary}) did not start: ${describe(error)}`,
      {
        service: "nats",
        fix: "fix what nats-server reports above (a port in use, an unwritable directory)",
        cause: error,
      },
    );
  }
}

interface StartedServer {
  child: ChildProcess;
  output(): string;
  exited(): boolean;
}

function spawnServer(binary: string, configFile: string): StartedServer {
  const child = spawn(binary, ["-c", configFile], { stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  let output = "";
  let exited = false;
  const onData = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-MAX_OUTPUT_CHARS);
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  child.once("exit", () => {
    exited = true;
    live.delete(child);
  });
  child.once("error", (error) => {
    output += `\n${error.message}`;
    exited = true;
    live.delete(child);
  });
  return { child, output: () => output, exited: () => exited };
}

async function waitUntilReady(
  server: StartedServer,
  systemCreds: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    signal?.throwIfAborted();
    if (server.exited()) throw new Error(`nats-server exited during startup:\n${server.output().trim()}`);
    const port = LISTENING.exec(server.output())?.[1];
    if (port !== undefined) {
      try {
        const nc = await connectWithCreds(`nats://127.0.0.1:${port}`, systemCreds, {
          timeoutMs: 1_000,
          reconnect: false,
        });
        await nc.close();
        return Number(port);
      } catch (error) {
        lastError = error;
      }
    }
    if (Date.now() >= deadline) {
      const last = lastError === undefined ? "" : ` (last error: ${describe(lastError)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for the system user to connect${last}`);
    }
    await delay(50, undefined, { signal });
  }
}

function handle(
  server: StartedServer,
  info: { port: number; dir: string; ownsDir: boolean; configFile: string; systemCreds: string },
): OperatorNats {
  const url = `nats://127.0.0.1:${info.port}`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    port: info.port,
    get pid() {
      return server.exited() ? undefined : server.child.pid;
    },
    systemCreds: info.systemCreds,
    dir: info.dir,
    configFile: info.configFile,
    connectSystem: () => connectWithCreds(url, info.systemCreds, { name: "vrsky-provisioner" }),
    stop() {
      stopped ??= (async () => {
        await stopChild(server.child);
        if (info.ownsDir) await removeTempDir(info.dir);
      })();
      return stopped;
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A crashed test run or bench must not leave servers or their temp dirs behind.
  process.once("exit", () => {
    for (const child of live) child.kill("SIGKILL");
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });
}

async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
