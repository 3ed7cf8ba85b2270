import { Flags } from "@oclif/core";
import { VrskyCommand } from "../base-command.js";
import { CliError, CliErrorCode } from "../cli-error.js";
import { PlatformClient } from "../platform/platform-client.js";
import { PlatformError } from "../platform/platform-error.js";
import {
  DEFAULT_PROFILE,
  keyPrefix,
  normalizeApiUrl,
  profileNameProblem,
  readProfiles,
  saveProfile,
} from "../platform/profiles.js";
import { SearchResult } from "../platform/registry-api.js";

/** What `vrsky login --json` prints; never the key itself. */
export interface LoginResult {
  /** The profile saved, now the current one. */
  profile: string;
  /** Base URL of the control-plane API. */
  url: string;
  /** The start of the key, e.g. `vrsky_ab12cd…`. */
  keyPrefix: string;
  /** The profiles file written (mode 0600). */
  file: string;
  /** What the key cannot do, when the check succeeded only partly. */
  warnings: string[];
}

const KEY_PREFIX = "vrsky_";

/** `vrsky login`: checks an API key against the platform and saves it as a profile. */
export default class Login extends VrskyCommand<LoginResult> {
  static override summary = "Log in to a VRSky platform with a tenant API key and save it as a profile.";

  static override description =
    `Checks the key against the control-plane API (it must be accepted there), then saves the URL and key as a profile in profiles.json in your config directory ($VRSKY_CONFIG_DIR, else $XDG_CONFIG_HOME/vrsky, else ~/.config/vrsky; %APPDATA%\\vrsky on Windows), readable by you only, and makes it the current profile. Nothing is saved when the key is refused. The key is never printed: only its prefix.

The key comes from --key, else VRSKY_API_KEY, else a prompt on a terminal; prefer the variable or the prompt, since --key lands in your shell history. In CI, skip login and set VRSKY_API_URL and VRSKY_API_KEY instead.`;

  static override examples = [
    {
      description: "Log in, typing the key at the prompt",
      command: "<%= config.bin %> <%= command.id %> --url https://api.vrsky.example",
    },
    {
      description: "Log in without a prompt, as a second profile",
      command:
        "VRSKY_API_KEY=vrsky_… <%= config.bin %> <%= command.id %> --url http://localhost:8080 --profile local",
    },
  ];

  static override flags = {
    url: Flags.string({
      description:
        "Base URL of the control-plane API. [default: VRSKY_API_URL, else the profile's saved URL]",
    }),
    key: Flags.string({
      description: "The tenant API key (vrsky_…). [default: VRSKY_API_KEY, else asked for]",
    }),
    profile: Flags.string({
      description: `The name to save the login under (also VRSKY_PROFILE). [default: ${DEFAULT_PROFILE}]`,
      env: "VRSKY_PROFILE",
    }),
  };

  async run(): Promise<LoginResult> {
    const { flags } = await this.parse(Login);
    const profile = flags.profile || DEFAULT_PROFILE;
    const nameProblem = profileNameProblem(profile);
    if (nameProblem !== undefined) throw new CliError(CliErrorCode.InvalidInput, nameProblem);
    const url = normalizeApiUrl(await this.#url(flags.url, profile));
    const key = await this.#key(flags.key);
    const shown = keyPrefix(key);
    const client = new PlatformClient({ url, key, profile, source: "profile" });
    const warnings: string[] = [];
    await this.progress(`Checking the key ${shown} with ${url}`, async () => {
      try {
        // Every tenant key may call this unless it lacks registry:read; a 403 still proves the
        // key is genuine, so it is saved with a warning.
        await client.request("GET", "/v1/connectors", undefined, { schema: SearchResult });
      } catch (error) {
        if (error instanceof PlatformError && error.problem.code === "FORBIDDEN") {
          warnings.push(`the key is valid but limited: ${error.message}`);
          return;
        }
        if (!(error instanceof PlatformError && error.status === 401)) throw error;
        throw new CliError(
          error.code,
          `${url} refused the API key ${shown}: ${error.message}; nothing was saved`,
          {
            suggestions: [
              "check that you copied the whole key, and that it was created on this platform",
              "a lost or revoked key cannot be recovered: create a new one (`POST /v1/keys`, or ask the platform operator)",
            ],
            cause: error,
          },
        );
      }
    });
    const file = await saveProfile(profile, { url, key });
    for (const warning of warnings) this.warn(warning);
    const { green, bold, dim } = this.out;
    this.log(`${green("✓")} Logged in to ${bold(url)} as profile ${bold(profile)} (key ${shown})`);
    this.log(dim(`    saved to ${file}, readable by you only`));
    return { profile, url, keyPrefix: shown, file, warnings };
  }

  async #url(flag: string | undefined, profile: string): Promise<string> {
    const given = flag || process.env.VRSKY_API_URL || (await readProfiles()).profiles[profile]?.url;
    if (given) return given;
    if (!this.canPrompt()) throw this.missing("--url <api url>");
    const { promptText } = await import("../prompts.js");
    return promptText("Platform API URL", (value) => {
      try {
        normalizeApiUrl(value);
        return undefined;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    });
  }

  async #key(flag: string | undefined): Promise<string> {
    let key = flag || process.env.VRSKY_API_KEY;
    if (!key) {
      if (!this.canPrompt()) throw this.missing("--key <api key> (or set VRSKY_API_KEY)");
      const { promptText } = await import("../prompts.js");
      key = await promptText("API key", keyProblem);
    }
    const problem = keyProblem(key.trim());
    if (problem !== undefined) {
      throw new CliError(CliErrorCode.InvalidInput, problem, {
        suggestions: ["pass a tenant API key: --key, VRSKY_API_KEY or the prompt"],
      });
    }
    return key.trim();
  }
}

function keyProblem(key: string): string | undefined {
  // Never echo the value: it may be a real secret pasted in the wrong place.
  if (!key.startsWith(KEY_PREFIX) || key.length <= KEY_PREFIX.length) {
    return `that is not a tenant API key: they start with ${KEY_PREFIX} (the admin token cannot log in)`;
  }
  return /\s/.test(key) ? "the API key must not contain spaces" : undefined;
}
