import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CliError } from "../cli-error.js";
import {
  configDir,
  findCredentials,
  keyPrefix,
  normalizeApiUrl,
  readProfiles,
  removeProfile,
  requireCredentials,
  saveProfile,
} from "./profiles.js";

const KEY = "vrsky_abcdefghijklmnopqrstuvwxyz012345";

describe("configDir", () => {
  it("prefers VRSKY_CONFIG_DIR, then XDG_CONFIG_HOME, then APPDATA on Windows, then ~/.config", () => {
    expect(configDir({ VRSKY_CONFIG_DIR: "/a", XDG_CONFIG_HOME: "/x" }, "linux")).toBe("/a");
    expect(configDir({ XDG_CONFIG_HOME: "/x", APPDATA: "/w" }, "win32")).toBe(join("/x", "vrsky"));
    expect(configDir({ APPDATA: "/w" }, "win32")).toBe(join("/w", "vrsky"));
    expect(configDir({ APPDATA: "/w" }, "linux")).toMatch(/[/\\]\.config[/\\]vrsky$/);
  });
});

describe("keyPrefix", () => {
  it("shows the vrsky_ prefix and six characters, never enough of the key to use it", () => {
    expect(keyPrefix(KEY)).toBe("vrsky_abcdef…");
    expect(keyPrefix("vrsky_abc")).toBe("vrsk…");
    expect(keyPrefix("short-secret")).toBe("shor…");
  });
});

describe("normalizeApiUrl", () => {
  it("drops the trailing slash and keeps a base path", () => {
    expect(normalizeApiUrl("http://127.0.0.1:8080/")).toBe("http://127.0.0.1:8080");
    expect(normalizeApiUrl("https://example.com/api/")).toBe("https://example.com/api");
  });

  it("rejects URLs that are not http(s), carry credentials or a query", () => {
    for (const bad of ["ftp://x", "not a url", "https://me:pw@example.com", "https://example.com/?a=1"]) {
      expect(() => normalizeApiUrl(bad), bad).toThrow(CliError);
    }
  });
});

describe("profiles.json", () => {
  let dir = "";
  let env: Record<string, string>;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "vrsky-profiles-"));
    env = { VRSKY_CONFIG_DIR: join(dir, "config") };
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("is written owner-only (0600, directory 0700) and leaves no temporary file", async () => {
    const file = await saveProfile("default", { url: "http://a", key: KEY }, env);
    if (process.platform !== "win32") {
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, "config"))).mode & 0o777).toBe(0o700);
    }
    expect(await readdir(join(dir, "config"))).toEqual(["profiles.json"]);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({
      current: "default",
      profiles: { default: { url: "http://a", key: KEY } },
    });
  });

  it("makes the last saved profile current and forgets the current one on removal", async () => {
    await saveProfile("one", { url: "http://one", key: KEY }, env);
    await saveProfile("two", { url: "http://two", key: KEY }, env);
    expect((await findCredentials({ env }))?.url).toBe("http://two");
    expect((await findCredentials({ env, profile: "one" }))?.url).toBe("http://one");
    expect(await removeProfile("two", env)).toEqual({ removed: true, remaining: ["one"] });
    expect(await readProfiles(env)).toEqual({ profiles: { one: { url: "http://one", key: KEY } } });
    expect(await findCredentials({ env })).toBeUndefined();
  });

  it("lets VRSKY_API_URL and VRSKY_API_KEY stand in for a profile", async () => {
    const fromEnv = await findCredentials({
      env: { ...env, VRSKY_API_URL: "http://ci/", VRSKY_API_KEY: KEY },
    });
    expect(fromEnv).toEqual({ url: "http://ci", key: KEY, profile: undefined, source: "env" });
    await saveProfile("default", { url: "http://saved", key: KEY }, env);
    const overridden = await findCredentials({ env: { ...env, VRSKY_API_URL: "http://other" } });
    expect(overridden).toMatchObject({ url: "http://other", profile: "default", source: "profile" });
  });

  it("reports NOT_LOGGED_IN naming `vrsky login`, and the saved profiles when another was asked for", async () => {
    await expect(requireCredentials({ env })).rejects.toMatchObject({
      code: "NOT_LOGGED_IN",
      exitCode: 4,
      message: expect.stringContaining("vrsky login --url"),
    });
    await saveProfile("work", { url: "http://w", key: KEY }, env);
    await expect(findCredentials({ env: { ...env, VRSKY_PROFILE: "home" } })).rejects.toMatchObject({
      code: "NOT_LOGGED_IN",
      message: expect.stringContaining('profile "home"'),
      suggestions: expect.arrayContaining([expect.stringContaining("--profile work")]),
    });
  });

  it("reports a corrupt file as an invalid config naming it", async () => {
    await saveProfile("default", { url: "http://a", key: KEY }, env);
    await writeFile(join(dir, "config", "profiles.json"), "{ nope");
    await expect(readProfiles(env)).rejects.toMatchObject({
      name: "ConfigError",
      where: join(dir, "config", "profiles.json"),
    });
  });
});
