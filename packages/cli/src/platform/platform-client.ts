import type { z } from "zod";
import { CliError, CliErrorCode } from "../cli-error.js";
import { PlatformError, Problem } from "./platform-error.js";
import {
  type Credentials,
  DEFAULT_PROFILE,
  type FindCredentialsOptions,
  keyPrefix,
  requireCredentials,
} from "./profiles.js";

/** HTTP methods the control-plane API uses. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Options of {@link PlatformClient.request}. */
export interface RequestOptions<T> {
  /** Parses the response body; without it the body is returned as parsed JSON, unchecked. */
  schema?: z.ZodType<T>;
  /** Query parameters; `undefined` values are left out. */
  query?: Readonly<Record<string, string | undefined>>;
  /** Stops the request. */
  signal?: AbortSignal;
  /** Gives up after this long. @default {@link PlatformClient.timeoutMs} */
  timeoutMs?: number;
}

/** Options of {@link PlatformClient}. */
export interface PlatformClientOptions {
  /** Milliseconds before a request gives up. @default 30_000 */
  timeoutMs?: number;
  /** The fetch implementation. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/**
 * Calls the VRSky control-plane API with the URL and API key of a profile (or of VRSKY_API_URL
 * and VRSKY_API_KEY). Answers that are problem documents become {@link PlatformError}s carrying
 * the problem's `detail`, `code` and `issues`; an unreachable platform is `SERVICE_UNAVAILABLE`.
 * The key is sent only in the `Authorization` header and appears in no message, only its prefix.
 *
 * @example
 * ```ts
 * const client = await PlatformClient.fromProfile({ profile: flags.profile });
 * const { items } = await client.request("GET", "/v1/connectors", undefined, {
 *   schema: SearchResult,
 *   query: { q: "slack" },
 * });
 * ```
 */
export class PlatformClient {
  /** Where the calls go and with which key. */
  readonly credentials: Credentials;
  /** Milliseconds before a request gives up. */
  readonly timeoutMs: number;
  readonly #fetch: typeof fetch;

  /**
   * @param credentials - URL and key, usually from {@link PlatformClient.fromProfile}
   * @param options - timeout and fetch
   */
  constructor(credentials: Credentials, options: PlatformClientOptions = {}) {
    this.credentials = credentials;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  /**
   * A client for the active profile: the one named, else `VRSKY_PROFILE`, else the current one,
   * with `VRSKY_API_URL` / `VRSKY_API_KEY` overriding.
   * @param options - profile and environment
   * @throws CliError `NOT_LOGGED_IN` (exit 4) when there are no credentials
   */
  static async fromProfile(options: FindCredentialsOptions = {}): Promise<PlatformClient> {
    return new PlatformClient(await requireCredentials(options));
  }

  /** Base URL of the API. */
  get url(): string {
    return this.credentials.url;
  }

  /**
   * Sends one request and returns the parsed answer (`undefined` for 204).
   *
   * @param method - HTTP method
   * @param path - absolute API path, e.g. `/v1/connectors`; segments from users must be encoded
   * @param body - JSON body, if any
   * @param options - response schema, query, signal, timeout
   * @throws PlatformError for a problem answer: `KEY_REJECTED` (401/403, exit 4), `NOT_FOUND`,
   *   `VERSION_EXISTS`, `BREAKING_CHANGE` with `issues`, …
   * @throws CliError `SERVICE_UNAVAILABLE` when the platform cannot be reached, times out or
   *   answers something that is not the VRSky API
   */
  async request<T = unknown>(
    method: HttpMethod,
    path: string,
    body?: unknown,
    options: RequestOptions<T> = {},
  ): Promise<T> {
    const url = new URL(`${this.url}${path}`);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    const where = `${method} ${url.pathname}`;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.credentials.key}`,
          accept: "application/json, application/problem+json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const why = timeout.aborted ? `no answer within ${timeoutMs / 1000} s` : reasonOf(error);
      throw new CliError(
        CliErrorCode.ServiceUnavailable,
        `cannot reach the platform at ${this.url} (${where}): ${why}`,
        {
          suggestions: [
            "check the URL and your network; `vrsky whoami` shows the URL in use",
            `run \`vrsky login --url <api url>${this.#profileFlag()}\` to change it`,
          ],
          cause: error,
        },
      );
    }
    const text = await response.text();
    if (!response.ok) throw this.#failure(response, text, where);
    if (response.status === 204 || text === "") return undefined as T;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw this.#notTheApi(where, `a ${response.headers.get("content-type") ?? "non-JSON"} body`, cause);
    }
    if (options.schema === undefined) return json as T;
    const parsed = options.schema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const at = first ? `${first.path.join(".") || "(root)"}: ${first.message}` : "";
      throw this.#notTheApi(where, `an unexpected body (${at})`, parsed.error);
    }
    return parsed.data;
  }

  #failure(response: Response, text: string, where: string): CliError {
    const problem = parseProblem(text);
    if (problem === undefined) {
      return this.#notTheApi(
        where,
        `HTTP ${response.status} ${response.statusText} without a problem document`,
      );
    }
    const suggestions: string[] = [];
    const as = this.#profileFlag();
    if (response.status === 401) {
      suggestions.push(
        `the key ${keyPrefix(this.credentials.key)} ${this.#keyOrigin()} was refused; run \`vrsky login --url ${this.url}${as}\` with a valid API key`,
      );
    } else if (response.status === 403 && problem.code === "FORBIDDEN") {
      suggestions.push(`log in with a key that is allowed to: \`vrsky login --url ${this.url}${as}\``);
    } else if (problem.code === "RATE_LIMITED") {
      const after = response.headers.get("retry-after");
      suggestions.push(
        after ? `wait ${after} s and run the command again` : "wait a minute and run the command again",
      );
    } else if (response.status >= 500) {
      suggestions.push("run the command again later; if it keeps failing, tell the platform operator");
    }
    return new PlatformError(problem, response.status, { suggestions });
  }

  #notTheApi(where: string, what: string, cause?: unknown): CliError {
    return new CliError(
      CliErrorCode.ServiceUnavailable,
      `the platform at ${this.url} answered ${where} with ${what}; is it the VRSky control-plane API?`,
      {
        suggestions: [
          `check the URL: run \`vrsky login --url <api url>${this.#profileFlag()}\` to change it`,
        ],
        cause,
      },
    );
  }

  #keyOrigin(): string {
    const { source, profile } = this.credentials;
    return source === "env" ? "from VRSKY_API_KEY" : `of profile "${profile ?? DEFAULT_PROFILE}"`;
  }

  #profileFlag(): string {
    const { profile } = this.credentials;
    return profile === undefined || profile === DEFAULT_PROFILE ? "" : ` --profile ${profile}`;
  }
}

function parseProblem(text: string): Problem | undefined {
  try {
    const parsed = Problem.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function reasonOf(error: unknown): string {
  // fetch wraps the network error: "fetch failed", caused by ECONNREFUSED, ENOTFOUND, …
  const cause = error instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === "string") return code;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
