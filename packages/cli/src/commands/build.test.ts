import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJson, runCli } from "../../test/run-cli.js";
import type { Failure } from "../failure.js";
import type { BuildResult } from "./build.js";

const fixtures = fileURLToPath(new URL("../../test/__fixtures__/", import.meta.url));

describe("vrsky build", () => {
  let outDir = "";
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), "vrsky-build-"));
  });
  afterAll(() => rm(outDir, { recursive: true, force: true }));

  it("bundles a connector into one importable module with a manifest naming its sha256 and size", async () => {
    const run = await runCli(["build", join(fixtures, "shout-project"), "--out-dir", outDir, "--json"]);
    expect(run.code).toBe(0);
    const result = parseJson<BuildResult>(run);
    expect(result).toMatchObject({ name: "shout", kind: "converter", version: "1.2.3" });
    const bytes = await readFile(result.bundle.path);
    expect(result.bundle.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    const manifest = JSON.parse(await readFile(result.manifest, "utf8"));
    expect(manifest).toMatchObject({
      manifestVersion: 1,
      name: "shout",
      bundle: { file: "connector.mjs", sha256: result.bundle.sha256, size: bytes.byteLength },
    });
    // Self-contained: nothing but Node built-ins is imported.
    expect(bytes.toString()).not.toMatch(/from\s*"(?!node:)[^"]+"/);
    const module = await import(pathToFileURL(result.bundle.path).href);
    expect(module.default).toMatchObject({ kind: "converter", name: "shout" });
  });

  it("fails with NOT_FOUND and exit 2 outside a project", async () => {
    const run = await runCli(["build", outDir, "--json"]);
    expect(run.code).toBe(2);
    expect(parseJson<{ error: Failure }>(run).error).toMatchObject({
      code: "NOT_FOUND",
      suggestions: expect.arrayContaining([expect.stringContaining("vrsky init connector")]),
    });
  });
});
