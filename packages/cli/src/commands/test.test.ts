import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseJson, runCli } from "../../test/run-cli.js";
import type { TestResult } from "./test.js";

const fixtures = fileURLToPath(new URL("../../test/__fixtures__/", import.meta.url));

describe("vrsky test", () => {
  it("runs the project's tests, then passes the conformance suite", async () => {
    const run = await runCli(["test", `${fixtures}shout-project`, "--json"]);
    const result = parseJson<TestResult>(run);
    expect(result.tests).toMatchObject({ ok: true, passed: 1, failed: 0 });
    expect(result.conformance).toMatchObject({ ok: true, connector: "shout", kind: "converter" });
    expect(result.conformance.checks.filter((c) => c.skipped)).toEqual([]);
    expect(run.code).toBe(0);
  });

  it("exits 1 and names the failed check when a connector is not deterministic", async () => {
    const run = await runCli(["test", `${fixtures}random-project`, "--skip-tests"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ converts the same input to the same output/);
    expect(run.stdout).toContain("not ready");
  });
});
