import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTenantWithKey, startTestPlatform, type TestPlatform } from "@vrsky/platform-api/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CliRun, parseJson, runCli } from "../../test/run-cli.js";
import type { Failure } from "../failure.js";
import type { LoginResult } from "./login.js";
import type { LogoutResult } from "./logout.js";
import type { WhoamiResult } from "./whoami.js";

describe("vrsky login, whoami and logout", () => {
  let platform: TestPlatform;
  let url = "";
  let key = "";
  let configDir = "";
  // No login may leak in from the environment running the tests.
  const run = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> =>
    runCli(args, {
      env: { VRSKY_CONFIG_DIR: configDir, VRSKY_API_URL: "", VRSKY_API_KEY: "", VRSKY_PROFILE: "", ...env },
    });

  beforeAll(async () => {
    platform = await startTestPlatform();
    await platform.api.listen({ host: "127.0.0.1", port: 0 });
    url = `http://127.0.0.1:${(platform.api.server.address() as AddressInfo).port}`;
    ({ key } = await createTenantWithKey(platform.api, ["registry:read"]));
  });
  afterAll(() => platform?.stop());
  beforeEach(async () => {
    configDir = await mkdtemp(join(tmpdir(), "vrsky-login-"));
  });
  afterEach(() => rm(configDir, { recursive: true, force: true }));

  it("saves a key the platform accepts as the current profile, owner-only, and never prints the key", async () => {
    const login = await run(["login", "--url", `${url}/`, "--json"], { VRSKY_API_KEY: key });
    expect(login.code, login.stderr).toBe(0);
    const result = parseJson<LoginResult>(login);
    expect(result).toEqual({
      profile: "default",
      url,
      keyPrefix: `${key.slice(0, 12)}…`,
      file: join(configDir, "profiles.json"),
      warnings: [],
    });
    if (process.platform !== "win32") expect((await stat(result.file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(result.file, "utf8"))).toEqual({
      current: "default",
      profiles: { default: { url, key } },
    });

    const human = await run(["whoami"]);
    const whoami = await run(["whoami", "--json"]);
    expect(parseJson<WhoamiResult>(whoami)).toMatchObject({ profile: "default", url, accepted: true });
    expect(human.stdout).toContain(`${key.slice(0, 12)}…`);
    for (const output of [login, human, whoami]) {
      expect(output.stdout + output.stderr).not.toContain(key);
    }
  });

  it("refuses a key the platform rejects with KEY_REJECTED and exit 4, saving nothing", async () => {
    const wrong = "vrsky_neverIssuedNeverIssuedNeverIssued";
    const login = await run(["login", "--url", url, "--key", wrong]);
    expect(login.code).toBe(4);
    expect(login.stderr).toContain("Error [KEY_REJECTED]");
    expect(login.stderr).toContain(`refused the API key ${wrong.slice(0, 12)}…`);
    expect(login.stderr).toContain("nothing was saved");
    expect(login.stdout + login.stderr).not.toContain(wrong);
    expect(existsSync(join(configDir, "profiles.json"))).toBe(false);
  });

  it("asks for --key when there is no terminal to prompt on", async () => {
    const login = await run(["login", "--url", url, "--json"]);
    expect(login.code).toBe(2);
    expect(parseJson<{ error: Failure }>(login).error.message).toContain("missing --key");
  });

  it("logs out, after which every platform command says how to log in and exits 4", async () => {
    expect((await run(["login", "--url", url, "--profile", "work"], { VRSKY_API_KEY: key })).code).toBe(0);
    const logout = await run(["logout", "--json"]);
    expect(parseJson<LogoutResult>(logout)).toMatchObject({ profile: "work", removed: true, remaining: [] });
    expect(JSON.parse(await readFile(join(configDir, "profiles.json"), "utf8"))).toEqual({ profiles: {} });

    for (const args of [
      ["whoami"],
      ["publish", "."],
      ["connectors", "search"],
      ["connectors", "info", "x"],
    ]) {
      const json = await run([...args, "--json"]);
      expect(json.code, args.join(" ")).toBe(4);
      expect(parseJson<{ error: Failure }>(json).error).toMatchObject({
        code: "NOT_LOGGED_IN",
        exitCode: 4,
        message: "not logged in; run `vrsky login --url <api url>`",
      });
    }
    const human = await run(["connectors", "search"]);
    expect(human.stderr).toContain("Error [NOT_LOGGED_IN] not logged in; run `vrsky login --url <api url>`");
    expect(human.stderr).toContain("set VRSKY_API_URL and VRSKY_API_KEY");
  });
});
