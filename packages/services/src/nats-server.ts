import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { summarizeError } from "./error-summary.js";
import { findExecutable } from "./find-executable.js";
import { type ManagedProcess, spawnManaged } from "./managed-process.js";
import type { ManagedService } from "./managed-service.js";
import { pollUntil } from "./poll.js";
import { ServiceUnavailableError } from "./service-unavailable-error.js";

/** Options of {@link startNatsServer}. */
export interface StartNatsServerOptions {
  /** Client port. @default a free port picked by nats-server itself (`-p -1`) */
  port?: number;
  /** Enable JetStream (`-js`). @default true */
  jetstream?: boolean;
  /** JetStream store directory, kept on stop. @default a new temp dir, removed by `stop()` */
  storeDir?: string;
  /** A nats-server config file (`-c`); the port, address and store dir flags still apply. */
  configFile?: string;
  /** Extra `nats-server` arguments, appended after the defaults (e.g. `["-m", "8222"]`). */
  args?: string[];
  /**
   * The `nats-server` binary: an absolute path, or a name looked up on `PATH`.
   * @default "nats-server" on PATH, then {@link NATS_SERVER_WELL_KNOWN_PATHS}
   */
  natsServerPath?: string;
  /** Environment used to find and run `nats-server` (its `PATH`). @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Parent of the temp store dir. @default os.tmpdir() */
  tmpDir?: string;
  /** How long to wait for the server to accept connections. @default 20000 */
  startTimeoutMs?: number;
  /** Aborts the startup: the process is killed, the temp dir removed, the reason thrown. */
  signal?: AbortSignal;
}

/** A `nats-server` process started by {@link startNatsServer}. */
export interface LocalNatsServer extends ManagedService {
  /** Client URL, e.g. `nats://127.0.0.1:41234`. */
  readonly url: string;
  /** Client port; kept across {@link LocalNatsServer.restart}. */
  readonly port: number;
  /** JetStream store directory (empty string when JetStream is off); kept across restart. */
  readonly storeDir: string;
  /** The OS process id of the running server, `undefined` after {@link LocalNatsServer.kill}. */
  readonly pid: number | undefined;
  /** Stops (if running) and starts the server again on the same port and store dir. */
  restart(): Promise<void>;
  /** Sends `signal` (default SIGKILL) to simulate a crash; `restart()` brings it back. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Where `nats-server` is looked for when it is not on PATH (Debian puts it in /usr/sbin). */
export const NATS_SERVER_WELL_KNOWN_PATHS: readonly string[] = [
  "/usr/sbin/nats-server",
  "/usr/local/bin/nats-server",
  "/opt/homebrew/bin/nats-server",
];

/** How to get `nats-server`, shown whenever it is missing. */
export const NATS_SERVER_INSTALL_HINT =
  "install nats-server (apt-get install nats-server, brew install nats-server, or a release from " +
  "https://github.com/nats-io/nats-server/releases)";

const LISTENING = /Listening for client connections on \S+:(\d+)/;

/**
 * Finds the `nats-server` binary.
 *
 * @param path - an absolute path or a name; when given, only this is checked
 * @param env - the environment whose `PATH` is searched @default process.env
 * @returns the absolute path, or `undefined` when not found
 */
export async function findNatsServer(
  path: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  if (path !== undefined) return findExecutable(path, env);
  const onPath = await findExecutable("nats-server", env);
  if (onPath !== undefined) return onPath;
  for (const candidate of NATS_SERVER_WELL_KNOWN_PATHS) {
    const found = await findExecutable(candidate, env);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Spawns `nats-server -a 127.0.0.1 -p <port> -js -sd <dir>` and resolves once it accepts client
 * connections and (with JetStream) answers the JetStream API.
 *
 * @param options - port, JetStream, store dir, binary path, abort signal
 * @returns the running server with `stop`, `restart` and `kill`
 * @throws ServiceUnavailableError when `nats-server` is not found or does not come up in time
 * @example
 * ```ts
 * const nats = await startNatsServer();
 * try {
 *   const nc = await connect({ servers: nats.url });
 *   await nc.close();
 * } finally {
 *   await nats.stop();
 * }
 * ```
 */
export async function startNatsServer(options: StartNatsServerOptions = {}): Promise<LocalNatsServer> {
  options.signal?.throwIfAborted();
  const env = options.env ?? process.env;
  const binary = await findNatsServer(options.natsServerPath, env);
  if (binary === undefined) {
    const where = options.natsServerPath ?? `on PATH or in ${NATS_SERVER_WELL_KNOWN_PATHS.join(", ")}`;
    throw new ServiceUnavailableError(`nats-server not found (${where})`, {
      service: "nats",
      fix: `${NATS_SERVER_INSTALL_HINT}, or set VRSKY_NATS_URL`,
    });
  }
  const jetstream = options.jetstream ?? true;
  const ownsStoreDir = jetstream && options.storeDir === undefined;
  const storeDir = !jetstream
    ? ""
    : (options.storeDir ?? (await mkdtemp(join(options.tmpDir ?? tmpdir(), "vrsky-nats-"))));
  const timeoutMs = options.startTimeoutMs ?? 20_000;

  let port = options.port ?? -1;
  let proc: ManagedProcess | undefined;
  let stopped = false;

  const launch = async (signal?: AbortSignal): Promise<void> => {
    const args = [
      ...(options.configFile === undefined ? [] : ["-c", options.configFile]),
      "-a",
      "127.0.0.1",
      "-p",
      String(port),
      ...(jetstream ? ["-js", "-sd", storeDir] : []),
      ...(options.args ?? []),
    ];
    const current = spawnManaged(binary, args, { env });
    proc = current;
    try {
      await pollUntil(
        "nats-server to accept connections",
        async () => {
          if (port === -1) {
            const announced = LISTENING.exec(current.output())?.[1];
            if (announced === undefined) return false;
            port = Number(announced);
          }
          await probeLocalNats(port, jetstream);
          return true;
        },
        {
          deadlineMs: timeoutMs,
          signal,
          abortIf: () =>
            current.running()
              ? undefined
              : new Error(`nats-server exited during startup:\n${current.output().trim()}`, {
                  cause: current.spawnError(),
                }),
        },
      );
    } catch (error) {
      await current.stop("SIGKILL");
      if (signal?.aborted) throw signal.reason;
      throw new ServiceUnavailableError(`nats-server (${binary}) did not start: ${summarizeError(error)}`, {
        service: "nats",
        fix: "fix what nats-server reports above (a port in use, an unwritable store dir), or set VRSKY_NATS_URL",
        cause: error,
      });
    }
  };

  try {
    await launch(options.signal);
  } catch (error) {
    if (ownsStoreDir) await rm(storeDir, { recursive: true, force: true });
    throw error;
  }

  return {
    get url() {
      return `nats://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get pid() {
      return proc?.running() ? proc.pid : undefined;
    },
    get description() {
      return `nats://127.0.0.1:${port} (local nats-server${jetstream ? " with JetStream" : ""})`;
    },
    storeDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await proc?.stop("SIGTERM");
      if (ownsStoreDir) await rm(storeDir, { recursive: true, force: true });
    },
    async restart() {
      if (stopped)
        throw new Error("nats-server was stopped with stop(); start a new one instead of restart()");
      await proc?.stop("SIGTERM");
      await launch();
    },
    async kill(signal = "SIGKILL") {
      await proc?.stop(signal, 5_000);
    },
  };
}

/** Connects once; with JetStream, also checks that the JetStream API answers. */
async function probeLocalNats(port: number, jetstream: boolean): Promise<void> {
  const nc = await connect({ servers: `nats://127.0.0.1:${port}`, timeout: 1_000, reconnect: false });
  try {
    if (jetstream) await jetstreamManager(nc, { timeout: 1_000 });
  } finally {
    await nc.close();
  }
}
