import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The CLI's entry, built by the global setup. */
export const CLI = fileURLToPath(new URL("../bin/run.js", import.meta.url));

/** What one CLI run printed and how it exited. */
export interface CliRun {
  /** Exit code. */
  code: number | null;
  /** Everything on stdout. */
  stdout: string;
  /** Everything on stderr. */
  stderr: string;
}

/**
 * Runs `vrsky <args>` as a child process with no terminal (stdin closed, or piped `input`), as a
 * script would.
 * @param args - the arguments
 * @param options - working directory, extra environment, what to pipe to stdin
 */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<CliRun> {
  // Children must not inherit the test runner's variables (NODE_OPTIONS with its conditions,
  // VITEST*), which would change how a project's own vitest and imports behave.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith("VITEST") && key !== "NODE_OPTIONS" && key !== "FORCE_COLOR",
    ),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { ...env, NO_COLOR: "1", ...options.env },
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    child.stdin?.end(options.input);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Parses a `--json` run's stdout, failing with both streams when it is not JSON.
 * @param run - a finished run
 */
export function parseJson<T>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.code}):\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}
