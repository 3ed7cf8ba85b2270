import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTenantWithKey, startTestPlatform, type TestPlatform } from "@vrsky/platform-api/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CliRun, parseJson, runCli } from "../../test/run-cli.js";
import type { Failure } from "../failure.js";
import { saveProfile } from "../platform/profiles.js";
import type { ConnectorsInfoResult } from "./connectors/info.js";
import type { ConnectorsListResult } from "./connectors/list.js";
import type { ConnectorsSearchResult } from "./connectors/search.js";
import type { PublishResult } from "./publish.js";

const sdk = fileURLToPath(new URL("../../../sdk", import.meta.url));

describe("vrsky publish and the registry commands", () => {
  let platform: TestPlatform;
  let url = "";
  let keyA = "";
  let keyB = "";
  let work = "";
  let project = "";
  let configDir = "";
  /** Runs the CLI logged in as tenant A (its profile in a fresh config dir). */
  const run = (args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> =>
    runCli(args, {
      ...options,
      env: {
        VRSKY_CONFIG_DIR: configDir,
        VRSKY_API_URL: "",
        VRSKY_API_KEY: "",
        VRSKY_PROFILE: "",
        ...options.env,
      },
    });
  /** Runs the CLI as tenant B, with the CI-style variables instead of a profile. */
  const runAsB = (args: string[]): Promise<CliRun> =>
    run(args, { env: { VRSKY_API_URL: url, VRSKY_API_KEY: keyB } });
  const setVersion = async (version: string, caseEnum: string): Promise<void> => {
    const file = join(project, "src", "index.ts");
    const source = await readFile(file, "utf8");
    await writeFile(
      file,
      source
        .replace(/version: "[^"]+"/, `version: "${version}"`)
        .replace(/case: z\.enum\(\[[^\]]*\]\)/, `case: z.enum(${caseEnum})`),
    );
  };

  beforeAll(async () => {
    platform = await startTestPlatform();
    await platform.api.listen({ host: "127.0.0.1", port: 0 });
    url = `http://127.0.0.1:${(platform.api.server.address() as AddressInfo).port}`;
    ({ key: keyA } = await createTenantWithKey(platform.api, ["registry:read", "registry:write"], "a"));
    ({ key: keyB } = await createTenantWithKey(platform.api, ["registry:read", "registry:write"], "b"));
    work = await mkdtemp(join(tmpdir(), "vrsky-publish-"));
    project = join(work, "order-case");
    const init = await runCli(["init", "connector", "order-case", "--kind", "converter", "--dir", project]);
    expect(init.code, init.stderr).toBe(0);
    // The scaffold is not installed: point its @vrsky/sdk at this checkout's build instead.
    await mkdir(join(project, "node_modules", "@vrsky"), { recursive: true });
    await symlink(sdk, join(project, "node_modules", "@vrsky", "sdk"), "dir");
  });
  afterAll(async () => {
    await platform?.stop();
    await rm(work, { recursive: true, force: true });
  });
  beforeEach(async () => {
    configDir = await mkdtemp(join(tmpdir(), "vrsky-publish-config-"));
    await saveProfile("default", { url, key: keyA }, { VRSKY_CONFIG_DIR: configDir });
  });
  afterEach(() => rm(configDir, { recursive: true, force: true }));

  it("with --dry-run builds and uploads nothing, and needs no login", async () => {
    const dry = await run(["publish", project, "--dry-run", "--json"], { env: { VRSKY_CONFIG_DIR: work } });
    expect(dry.code, dry.stderr).toBe(0);
    expect(parseJson<PublishResult>(dry)).toMatchObject({
      name: "order-case",
      version: "0.1.0",
      visibility: "private",
      published: false,
      url: null,
    });
    expect(
      parseJson<ConnectorsSearchResult>(await run(["connectors", "search", "--json"])).connectors,
    ).toEqual([]);
  });

  it("publishes a scaffolded connector, which search then finds and info shows with its version and config", async () => {
    const publish = await run(["publish", project, "--json"]);
    expect(publish.code, publish.stderr).toBe(0);
    const published = parseJson<PublishResult>(publish);
    const bundle = await readFile(join(project, "dist", "connector.mjs"));
    expect(published).toMatchObject({
      name: "order-case",
      kind: "converter",
      version: "0.1.0",
      visibility: "private",
      published: true,
      url,
      sha256: createHash("sha256").update(bundle).digest("hex"),
      size: bundle.byteLength,
    });

    const search = await run([
      "connectors",
      "search",
      "ORDER",
      "--kind",
      "converter",
      "--category",
      "transform",
      "--json",
    ]);
    expect(parseJson<ConnectorsSearchResult>(search).connectors).toEqual([
      expect.objectContaining({ name: "order-case", latest: "0.1.0", visibility: "private" }),
    ]);
    const human = await run(["connectors", "search", "order"]);
    expect(human.stdout).toMatch(/order-case\s+converter\s+0\.1\.0\s+private/);

    const info = parseJson<ConnectorsInfoResult>(await run(["connectors", "info", "order-case", "--json"]));
    expect(info.connector.versions.map((v) => v.version)).toEqual(["0.1.0"]);
    expect(info.fields).toContainEqual(
      expect.objectContaining({ name: "case", type: '"upper" | "lower"', required: false, secret: false }),
    );
    const infoText = (await run(["connectors", "info", "order-case"])).stdout;
    expect(infoText).toMatch(/case\s+"upper" \| "lower"\s+no\s+no/);
    expect(infoText).toMatch(/Versions\n.*\n\s+0\.1\.0\s/);
  });

  it("refuses to publish the same version again with VERSION_EXISTS, naming the version to bump to", async () => {
    const again = await run(["publish", project]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("Error [VERSION_EXISTS] order-case@0.1.0 is already published");
    expect(again.stderr).toMatch(/bump "version" in .*src\/index\.ts \(e\.g\. to 0\.1\.1\)/);
  });

  it("refuses a breaking config change in a minor with BREAKING_CHANGE listing it, and takes it as the next major", async () => {
    await setVersion("0.2.0", '["upper"]');
    const breaking = await run(["publish", project]);
    expect(breaking.code).toBe(2);
    expect(breaking.stderr).toContain(
      "Error [BREAKING_CHANGE] order-case@0.2.0 breaks configs valid for 0.1.0",
    );
    expect(breaking.stderr).toMatch(/✗ manifest\.config\.case: narrowed-enum: .*"lower"/);
    expect(breaking.stderr).toContain("publish as 1.0.0");
    const json = parseJson<{ error: Failure }>(await run(["publish", project, "--json"]));
    expect(json.error).toMatchObject({ code: "BREAKING_CHANGE", exitCode: 2 });
    expect(json.error.issues).toEqual([
      { path: "manifest.config.case", message: expect.stringContaining("narrowed-enum") },
    ]);

    await setVersion("1.0.0", '["upper"]');
    expect((await run(["publish", project])).code).toBe(0);
    const info = parseJson<ConnectorsInfoResult>(await run(["connectors", "info", "order-case", "--json"]));
    expect(info.connector.versions.map((v) => v.version)).toEqual(["1.0.0", "0.1.0"]);
  });

  it("keeps a private connector out of another tenant's search and info", async () => {
    const search = await runAsB(["connectors", "search", "--json"]);
    expect(search.code, search.stderr).toBe(0);
    expect(parseJson<ConnectorsSearchResult>(search).connectors).toEqual([]);
    const info = await runAsB(["connectors", "info", "order-case", "--json"]);
    expect(info.code).toBe(2);
    expect(parseJson<{ error: Failure }>(info).error).toMatchObject({ code: "NOT_FOUND" });
  });

  it("adds the registry's connectors to `connectors list` when logged in, marked as such", async () => {
    const list = await run(["connectors", "list", "--kind", "converter", "--json"], { cwd: project });
    expect(list.code, list.stderr).toBe(0);
    const { connectors, warnings } = parseJson<ConnectorsListResult>(list);
    expect(warnings).toEqual([]);
    expect(new Set(connectors.map((c) => c.source))).toEqual(new Set(["builtin", "local", "registry"]));
    expect(connectors.find((c) => c.source === "registry")).toMatchObject({
      name: "order-case",
      version: "1.0.0",
      visibility: "private",
    });
    const human = await run(["connectors", "list", "--kind", "converter"], { cwd: project });
    expect(human.stdout).toMatch(/converter\s+order-case\s+1\.0\.0\s+registry\s/);
  });
});
