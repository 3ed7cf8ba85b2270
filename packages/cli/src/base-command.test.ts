import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseJson, runCli } from "../test/run-cli.js";
import type { Failure } from "./failure.js";

const invalid = fileURLToPath(new URL("../test/__fixtures__/invalid-project/", import.meta.url));

describe("VrskyCommand", () => {
  it("prints every issue of an invalid config without a stack trace and exits 2", async () => {
    const run = await runCli(["build", invalid]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("Error [CONFIG_INVALID] Invalid config in");
    expect(run.stderr).toMatch(/✗ connector: .*string/);
    expect(run.stderr).toMatch(/✗ fixtures: .*array/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("adds the stack trace with --verbose", async () => {
    const run = await runCli(["build", invalid, "--verbose"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/\n\s+at /);
  });

  it("with --json prints only the error object on stdout", async () => {
    const run = await runCli(["build", invalid, "--json"]);
    expect(run.code).toBe(2);
    const { error } = parseJson<{ error: Failure }>(run);
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.exitCode).toBe(2);
    expect(error.issues?.map((i) => i.path).sort()).toEqual(["connector", "fixtures"]);
  });

  it("reports an unknown flag as invalid input with exit 2", async () => {
    const run = await runCli(["doctor", "--no-such-flag", "--json"]);
    expect(run.code).toBe(2);
    expect(parseJson<{ error: Failure }>(run).error.code).toBe("INVALID_INPUT");
  });

  it("prints the version with --version", async () => {
    const { version } = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
    const run = await runCli(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`@vrsky/cli/${version}`);
  });
});
