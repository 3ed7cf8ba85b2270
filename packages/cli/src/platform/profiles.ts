import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { ConfigError, toConfigIssues, z } from "@vrsky/sdk";
import { CliError, CliErrorCode } from "../cli-error.js";

/** The profile `vrsky login` saves to when none is named. */
export const DEFAULT_PROFILE = "default";

/** The file holding the profiles, inside {@link configDir}. */
export const PROFILES_FILE = "profiles.json";

/** Profile names: short, safe in a shell and a file. */
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** One saved login: where the control-plane API is and the tenant API key to call it with. */
export const Profile = z.object({
  /** Base URL of the control-plane API, without a trailing slash. */
  url: z.string().min(1),
  /** The tenant API key (`vrsky_…`). Never printed: see {@link keyPrefix}. */
  key: z.string().min(1),
});
/** One saved login. */
export type Profile = z.infer<typeof Profile>;

/** The contents of `profiles.json`. */
export const ProfilesFile = z.object({
  /** The profile used when neither `--profile` nor `VRSKY_PROFILE` names one. */
  current: z.string().optional(),
  /** Saved logins by name. */
  profiles: z.record(z.string(), Profile).default({}),
});
/** The contents of `profiles.json`. */
export type ProfilesFile = z.infer<typeof ProfilesFile>;

/** Where credentials came from. */
export type CredentialSource = "profile" | "env";

/** What a command calls the platform with. */
export interface Credentials {
  /** Base URL of the control-plane API. */
  url: string;
  /** The API key. Never print it: show {@link keyPrefix} instead. */
  key: string;
  /** The profile used, if any (`undefined` when both come from the environment). */
  profile: string | undefined;
  /** `env` when VRSKY_API_URL and VRSKY_API_KEY supplied both; `profile` otherwise. */
  source: CredentialSource;
}

/** The environment variables this module reads. */
export type PlatformEnv = Readonly<Record<string, string | undefined>>;

/**
 * The directory vrsky keeps its user config in: `$VRSKY_CONFIG_DIR`, else
 * `$XDG_CONFIG_HOME/vrsky`, else `%APPDATA%\vrsky` on Windows, else `~/.config/vrsky`.
 *
 * @param env - the environment @default process.env
 * @param platform - the OS @default process.platform
 */
export function configDir(
  env: PlatformEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.VRSKY_CONFIG_DIR) return env.VRSKY_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, "vrsky");
  if (platform === "win32" && env.APPDATA) return join(env.APPDATA, "vrsky");
  return join(homedir(), ".config", "vrsky");
}

/**
 * The path of `profiles.json`.
 * @param env - the environment @default process.env
 */
export function profilesPath(env: PlatformEnv = process.env): string {
  return join(configDir(env), PROFILES_FILE);
}

/**
 * The displayable start of an API key, e.g. `vrsky_ab12cd…`: enough to tell keys apart, never
 * enough to use one.
 * @param key - the full key
 */
export function keyPrefix(key: string): string {
  const shown = key.startsWith("vrsky_") ? 12 : 4;
  return `${key.slice(0, Math.min(shown, Math.floor(key.length / 2)))}…`;
}

/**
 * The problem with a profile name, or `undefined` when it is fine.
 * @param name - the name to check
 */
export function profileNameProblem(name: string): string | undefined {
  return PROFILE_NAME.test(name)
    ? undefined
    : `invalid profile name "${name}": use letters, digits, '.', '_' and '-' (at most 64)`;
}

/**
 * Checks and normalises a control-plane API URL: http or https, no credentials, no query, no
 * trailing slash.
 * @param input - the URL as given
 * @returns the normalised URL
 * @throws CliError `INVALID_INPUT` saying what is wrong with it
 */
export function normalizeApiUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new CliError(CliErrorCode.InvalidInput, `invalid platform URL "${input}"`, {
      suggestions: ["pass the control-plane API's base URL, e.g. `--url https://api.example.com`"],
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CliError(
      CliErrorCode.InvalidInput,
      `the platform URL must be http or https, not ${url.protocol}`,
    );
  }
  if (url.username || url.password) {
    // Credentials in a URL end up in logs and shell history; the key has its own place.
    throw new CliError(CliErrorCode.InvalidInput, "the platform URL must not carry a user name or password", {
      suggestions: ["pass the API key with --key, VRSKY_API_KEY or at the prompt"],
    });
  }
  if (url.search || url.hash) {
    throw new CliError(CliErrorCode.InvalidInput, "the platform URL must not have a query or fragment");
  }
  return url.href.replace(/\/+$/, "");
}

/**
 * Reads `profiles.json`; a missing file is an empty one.
 * @param env - the environment @default process.env
 * @throws ConfigError when the file is not valid JSON or not a profiles file
 */
export async function readProfiles(env: PlatformEnv = process.env): Promise<ProfilesFile> {
  const file = profilesPath(env);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { profiles: {} };
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(
      [{ path: "", message: "not valid JSON; delete the file and run `vrsky login` again" }],
      { where: file, cause },
    );
  }
  const parsed = ProfilesFile.safeParse(raw);
  if (!parsed.success) throw new ConfigError(toConfigIssues(parsed.error), { where: file });
  return parsed.data;
}

/**
 * Writes `profiles.json` readable by its owner only (0600, directory 0700), replacing the file
 * atomically so a crash never leaves half a file.
 * @param profiles - the new contents
 * @param env - the environment @default process.env
 * @returns the file written
 */
export async function writeProfiles(profiles: ProfilesFile, env: PlatformEnv = process.env): Promise<string> {
  const file = profilesPath(env);
  const dir = dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const temp = join(dir, `.${PROFILES_FILE}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    // `mode` applies at creation only, so the temp file is born 0600 and renamed over the old one.
    await writeFile(temp, `${JSON.stringify(profiles, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return file;
}

/**
 * Saves a profile and makes it the current one.
 * @param name - the profile name
 * @param profile - URL and key
 * @param env - the environment @default process.env
 * @returns the file written
 */
export async function saveProfile(
  name: string,
  profile: Profile,
  env: PlatformEnv = process.env,
): Promise<string> {
  const file = await readProfiles(env);
  return writeProfiles({ current: name, profiles: { ...file.profiles, [name]: profile } }, env);
}

/**
 * Removes a profile; when it was the current one, none is current afterwards.
 * @param name - the profile name
 * @param env - the environment @default process.env
 * @returns whether it existed, and the profiles left
 */
export async function removeProfile(
  name: string,
  env: PlatformEnv = process.env,
): Promise<{ removed: boolean; remaining: string[] }> {
  const file = await readProfiles(env);
  const { [name]: removed, ...rest } = file.profiles;
  if (removed !== undefined) {
    await writeProfiles({ ...(file.current === name ? {} : { current: file.current }), profiles: rest }, env);
  }
  return { removed: removed !== undefined, remaining: Object.keys(rest).sort() };
}

/** Options of {@link findCredentials}. */
export interface FindCredentialsOptions {
  /** The profile to use. @default `VRSKY_PROFILE`, else the current profile */
  profile?: string | undefined;
  /** The environment. @default process.env */
  env?: PlatformEnv;
}

/**
 * The credentials to call the platform with, or `undefined` when not logged in. The profile is
 * the one named, else `VRSKY_PROFILE`, else the current one; `VRSKY_API_URL` and `VRSKY_API_KEY`
 * override its fields, and with both set no profile is needed (for CI).
 *
 * @param options - profile and environment
 * @throws CliError `NOT_LOGGED_IN` when a profile is named but not saved
 * @throws ConfigError when `profiles.json` is invalid
 */
export async function findCredentials(
  options: FindCredentialsOptions = {},
): Promise<Credentials | undefined> {
  const env = options.env ?? process.env;
  const envUrl = env.VRSKY_API_URL || undefined;
  const envKey = env.VRSKY_API_KEY || undefined;
  if (envUrl !== undefined && envKey !== undefined) {
    return { url: normalizeApiUrl(envUrl), key: envKey, profile: undefined, source: "env" };
  }
  const named = options.profile || env.VRSKY_PROFILE || undefined;
  const file = await readProfiles(env);
  const name = named ?? file.current;
  const saved = name === undefined ? undefined : file.profiles[name];
  if (named !== undefined && saved === undefined) throw notLoggedIn(env, named, Object.keys(file.profiles));
  if (name === undefined || saved === undefined) return undefined;
  return {
    url: normalizeApiUrl(envUrl ?? saved.url),
    key: envKey ?? saved.key,
    profile: name,
    source: "profile",
  };
}

/**
 * Like {@link findCredentials}, for commands that cannot work without a login.
 * @param options - profile and environment
 * @throws CliError `NOT_LOGGED_IN` (exit 4) naming `vrsky login` when there are no credentials
 */
export async function requireCredentials(options: FindCredentialsOptions = {}): Promise<Credentials> {
  const found = await findCredentials(options);
  if (found !== undefined) return found;
  const env = options.env ?? process.env;
  throw notLoggedIn(env, undefined, Object.keys((await readProfiles(env)).profiles));
}

function notLoggedIn(env: PlatformEnv, profile: string | undefined, saved: readonly string[]): CliError {
  const as = profile === undefined || profile === DEFAULT_PROFILE ? "" : ` --profile ${profile}`;
  const url = env.VRSKY_API_URL ? normalizeApiUrl(env.VRSKY_API_URL) : "<api url>";
  const suggestions = [`run \`vrsky login --url ${url}${as}\` with an API key of your tenant`];
  if (saved.length > 0) {
    suggestions.push(`or use a saved profile: ${saved.map((s) => `--profile ${s}`).join(", ")}`);
  }
  suggestions.push("in CI, set VRSKY_API_URL and VRSKY_API_KEY instead");
  const message =
    profile === undefined
      ? `not logged in; run \`vrsky login --url ${url}\``
      : `not logged in as profile "${profile}"; run \`vrsky login --url ${url}${as}\``;
  return new CliError(CliErrorCode.NotLoggedIn, message, { suggestions });
}
