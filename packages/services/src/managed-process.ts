import { type ChildProcess, spawn } from "node:child_process";

/** A child process started by this package, with its exit as a promise and its recent output. */
export interface ManagedProcess {
  /** The OS process id, if the spawn succeeded. */
  readonly pid: number | undefined;
  /** Resolves once the process has exited (or failed to spawn); never rejects. */
  readonly exited: Promise<void>;
  /** Whether the process is still running. */
  running(): boolean;
  /** The last lines the process wrote to stdout and stderr, for error messages. */
  output(): string;
  /** The spawn error (e.g. ENOENT, EACCES), if the process could not be started. */
  spawnError(): Error | undefined;
  /** The exit code once exited (`null` when killed by a signal or not exited yet). */
  exitCode(): number | null;
  /**
   * Sends `signal` and waits for the exit; escalates to SIGKILL after `graceMs`. Does nothing
   * if the process already exited.
   */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

/** Options of {@link spawnManaged}. */
export interface SpawnManagedOptions {
  /** The child's environment. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Run as this user id (needs root), e.g. to run Postgres as `postgres`. */
  uid?: number;
  /** Run with this group id (needs root). */
  gid?: number;
  /** Called with each chunk of output, e.g. to detect a "ready" line. */
  onOutput?: (text: string) => void;
}

const MAX_OUTPUT_CHARS = 8_000;
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Spawns a service process that this package owns. Every live child is killed when the Node
 * process exits, so a crashed test run does not leave servers behind.
 *
 * @param command - executable path
 * @param args - its arguments
 * @param options - env, uid/gid and an output listener
 */
export function spawnManaged(
  command: string,
  args: readonly string[],
  options: SpawnManagedOptions = {},
): ManagedProcess {
  installExitHook();
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  });
  live.add(child);
  let output = "";
  let error: Error | undefined;
  let done = false;
  let code: number | null = null;
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString("utf8");
    output = (output + text).slice(-MAX_OUTPUT_CHARS);
    options.onOutput?.(text);
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<void>((resolve) => {
    const finish = (): void => {
      done = true;
      live.delete(child);
      resolve();
    };
    child.once("error", (err) => {
      error = err;
      // A spawn failure emits "error" without "exit".
      if (child.pid === undefined) finish();
    });
    child.once("exit", (exitCode) => {
      code = exitCode;
      finish();
    });
  });

  return {
    pid: child.pid,
    exited,
    running: () => !done,
    output: () => output,
    spawnError: () => error,
    exitCode: () => code,
    async stop(signal = "SIGTERM", graceMs = 10_000) {
      if (done) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      try {
        await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of live) child.kill("SIGKILL");
  });
}
