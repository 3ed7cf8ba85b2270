import { z } from "zod";
import { CliError, CliErrorCode } from "../cli-error.js";
import type { PlatformClient } from "./platform-client.js";

// The answers of the secrets routes of the control-plane API, as the CLI reads them.

/** A secret as `GET /v1/secrets` lists it: never its value. */
export const SecretInfo = z.object({
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Integrations whose current version refers to it. */
  usedBy: z.array(z.string()),
});
/** A secret as listed. */
export type SecretInfo = z.infer<typeof SecretInfo>;

/** The answer of `PUT /v1/secrets/:name`. */
export const SecretSet = z.object({
  name: z.string(),
  created: z.boolean(),
  /** Running integrations that restart with the new value. */
  restarting: z.array(z.string()),
});
/** The answer of setting a secret. */
export type SecretSet = z.infer<typeof SecretSet>;

/** Secret names as the API accepts them (what `{ $secret: <name> }` in a spec refers to). */
export const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The secrets routes of the control-plane API, typed.
 *
 * @example
 * ```ts
 * const api = new SecretsApi(await PlatformClient.fromProfile({ profile: flags.profile }));
 * await api.set("slack-token", value);
 * ```
 */
export class SecretsApi {
  /** The client the calls go through. */
  readonly client: PlatformClient;

  /** @param client - a client for the tenant's key */
  constructor(client: PlatformClient) {
    this.client = client;
  }

  /** Base URL of the API. */
  get url(): string {
    return this.client.url;
  }

  /** The tenant's secrets, by name, without values. */
  async list(): Promise<SecretInfo[]> {
    const { items } = await this.client.request("GET", "/v1/secrets", undefined, {
      schema: z.object({ items: z.array(SecretInfo) }),
    });
    return items;
  }

  /**
   * Sets or replaces a secret.
   * @param name - the secret
   * @param value - its value
   */
  set(name: string, value: string): Promise<SecretSet> {
    return this.client.request(
      "PUT",
      `/v1/secrets/${encodeURIComponent(name)}`,
      { value },
      { schema: SecretSet },
    );
  }

  /**
   * Deletes a secret no integration uses.
   * @throws PlatformError `NOT_FOUND` when there is none of that name; `IN_USE` (exit as a
   *   conflict) naming the integrations that still refer to it
   */
  async delete(name: string): Promise<void> {
    await this.client.request("DELETE", `/v1/secrets/${encodeURIComponent(name)}`);
  }
}

/**
 * Checks a secret name before it reaches the API.
 * @throws CliError `INVALID_INPUT` saying what a name may contain
 */
export function checkSecretName(name: string): string {
  if (SECRET_NAME.test(name)) return name;
  throw new CliError(
    CliErrorCode.InvalidInput,
    `invalid secret name "${name}": 1–128 letters, digits, '.', '_' or '-', starting with a letter or digit`,
  );
}
