import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CliError, CliErrorCode } from "../cli-error.js";
import { findPackageDir } from "./package-entry.js";

/** The counts of a project's vitest run. */
export interface VitestSummary {
  /** Whether vitest exited 0. */
  ok: boolean;
  /** Tests that passed. */
  passed: number;
  /** Tests that failed. */
  failed: number;
  /** Tests skipped or marked todo. */
  skipped: number;
  /** All tests. */
  total: number;
}

/** Options of {@link runProjectVitest}. */
export interface RunVitestOptions {
  /** Where vitest's own output goes: the terminal, or nowhere (for `--json`). */
  output: "inherit" | "discard";
  /** Stops vitest. */
  signal?: AbortSignal;
}

/**
 * Runs a project's own vitest (`vitest run`) as a child process in the project directory, and
 * reads the counts from its JSON report.
 *
 * @param dir - the project directory
 * @param options - where the output goes
 * @returns the counts and whether the run passed
 * @throws CliError `NOT_FOUND` when vitest is not installed in the project
 */
export async function runProjectVitest(dir: string, options: RunVitestOptions): Promise<VitestSummary> {
  const vitestDir = findPackageDir(dir, "vitest");
  if (vitestDir === undefined) {
    throw new CliError(CliErrorCode.NotFound, `vitest is not installed in ${dir}`, {
      suggestions: ["run `npm install` in the project first"],
    });
  }
  const scratch = await mkdtemp(join(tmpdir(), "vrsky-test-"));
  const reportFile = join(scratch, "report.json");
  try {
    // The output goes to the terminal as is; stdout is ours only when --json is off.
    const stdio =
      options.output === "inherit" ? (["ignore", process.stderr, process.stderr] as const) : "ignore";
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST")));
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          join(vitestDir, "vitest.mjs"),
          "run",
          "--reporter=default",
          "--reporter=json",
          `--outputFile.json=${reportFile}`,
        ],
        { cwd: dir, stdio: stdio === "ignore" ? "ignore" : [...stdio], env, signal: options.signal },
      );
      child.on("error", reject);
      child.on("close", resolve);
    });
    return { ok: code === 0, ...(await readCounts(reportFile)) };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function readCounts(reportFile: string): Promise<Omit<VitestSummary, "ok">> {
  let report: Record<string, unknown>;
  try {
    report = JSON.parse(await readFile(reportFile, "utf8")) as Record<string, unknown>;
  } catch {
    // vitest wrote no report: it failed before running tests (a config or syntax error).
    return { passed: 0, failed: 0, skipped: 0, total: 0 };
  }
  const count = (key: string): number => (typeof report[key] === "number" ? (report[key] as number) : 0);
  return {
    passed: count("numPassedTests"),
    failed: count("numFailedTests"),
    skipped: count("numPendingTests") + count("numTodoTests"),
    total: count("numTotalTests"),
  };
}
