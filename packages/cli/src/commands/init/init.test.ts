import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJson, runCli } from "../../../test/run-cli.js";
import type { Failure } from "../../failure.js";
import type { InitResult } from "../../scaffold/scaffold-project.js";

describe("vrsky init", () => {
  let cwd = "";
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), "vrsky-init-"));
  });
  afterAll(() => rm(cwd, { recursive: true, force: true }));

  it("scaffolds a converter connector project from flags alone", async () => {
    const run = await runCli(["init", "connector", "order-total", "--kind", "converter", "--json"], { cwd });
    expect(run.code).toBe(0);
    const result = parseJson<InitResult>(run);
    expect(result).toMatchObject({ template: "connector-converter", name: "order-total" });
    expect(result.directory).toBe(join(cwd, "order-total"));
    expect(result.files).toEqual(expect.arrayContaining(["src/index.ts", "src/index.test.ts", "vrsky.json"]));
    expect(result.next).toEqual(["cd order-total", "npm install", "npm test", "vrsky build"]);
    const manifest = JSON.parse(await readFile(join(result.directory, "package.json"), "utf8"));
    expect(manifest).toMatchObject({
      name: "order-total",
      type: "module",
      dependencies: { "@vrsky/sdk": "^0.1.0" },
    });
    expect(await readFile(join(result.directory, "src/index.ts"), "utf8")).toContain('name: "order-total"');
  });

  it("scaffolds an integration project into --dir", async () => {
    const run = await runCli(["init", "integration", "orders", "--dir", "apps/orders", "--json"], { cwd });
    const result = parseJson<InitResult>(run);
    expect(result.directory).toBe(join(cwd, "apps/orders"));
    expect(result.files).toEqual(expect.arrayContaining(["integration.yaml", "connectors/heartbeat.ts"]));
    expect(await readFile(join(result.directory, "integration.yaml"), "utf8")).toContain('name: "orders"');
  });

  it("without a terminal, names the missing --kind flag and exits 2", async () => {
    const run = await runCli(["init", "connector", "no-kind", "--json"], { cwd });
    expect(run.code).toBe(2);
    expect(parseJson<{ error: Failure }>(run).error).toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringContaining("missing --kind <consumer|producer|converter|filter>"),
    });
  });

  it("rejects a name that is not kebab-case and a directory that is not empty, exiting 2", async () => {
    const badName = await runCli(["init", "connector", "Order_Total", "--kind", "filter"], { cwd });
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('"Order_Total" is not kebab-case');
    await writeFile(join(cwd, "taken.txt"), "");
    const taken = await runCli(["init", "connector", "taken", "--kind", "filter", "--dir", ".", "--json"], {
      cwd,
    });
    expect(taken.code).toBe(2);
    expect(parseJson<{ error: Failure }>(taken).error.message).toContain("is not empty");
  });
});
