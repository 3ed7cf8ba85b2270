import { z } from "zod";
import { CliError, CliErrorCode } from "../cli-error.js";
import type { FailureIssue } from "../failure.js";
import type { PlatformClient } from "./platform-client.js";
import { PlatformError } from "./platform-error.js";

// The answers of the integrations routes of the control-plane API, as the CLI reads them.
// Objects are not strict: the API may add fields without breaking older CLIs.

/** What the orchestrator reports an integration's worker doing. */
export const IntegrationState = z.enum(["starting", "running", "stopped", "failed", "restarting"]);
/** What the orchestrator reports an integration's worker doing. */
export type IntegrationState = z.infer<typeof IntegrationState>;

/** The state the tenant asked for: run the current version, or nothing. */
export const DesiredState = z.enum(["running", "stopped"]);
/** The state the tenant asked for. */
export type DesiredState = z.infer<typeof DesiredState>;

/** A spec's text format. */
export const SpecFormat = z.enum(["yaml", "json"]);
/** A spec's text format. */
export type SpecFormat = z.infer<typeof SpecFormat>;

/** What the orchestrator last reported; `null` in a summary until an orchestrator picks it up. */
export const IntegrationStatus = z.object({
  state: IntegrationState,
  /** The version the worker runs (or tries to). */
  version: z.number().int().nullable(),
  worker: z.string().nullable(),
  /** Why it failed, for `failed` and `restarting`. */
  error: z.string().nullable(),
  /** Message counters of the worker, e.g. `{ received: 10, delivered: 9 }`. */
  counters: z.record(z.string(), z.number()).nullable(),
  updatedAt: z.string(),
});
/** What the orchestrator last reported. */
export type IntegrationStatus = z.infer<typeof IntegrationStatus>;

/** An integration as `GET /v1/integrations` lists it. */
export const IntegrationSummary = z.object({
  name: z.string(),
  desiredState: DesiredState,
  currentVersion: z.number().int(),
  status: IntegrationStatus.nullable(),
  updatedAt: z.string(),
});
/** An integration as listed. */
export type IntegrationSummary = z.infer<typeof IntegrationSummary>;

/** The answer of `GET /v1/integrations/:name`: the summary plus every version, newest first. */
export const IntegrationDetail = IntegrationSummary.extend({
  versions: z.array(z.object({ version: z.number().int(), createdAt: z.string() })),
});
/** An integration with its versions, newest first. */
export type IntegrationDetail = z.infer<typeof IntegrationDetail>;

/** The answer of `GET /v1/integrations/:name/versions/:version`. */
export const IntegrationVersion = z.object({
  version: z.number().int(),
  spec: z.string(),
  format: SpecFormat,
  /** Registry connectors the version uses, pinned to exact bundles. */
  connectors: z.array(z.object({ ref: z.string(), name: z.string(), version: z.string() })),
  createdAt: z.string(),
});
/** One deployed version with its spec text. */
export type IntegrationVersion = z.infer<typeof IntegrationVersion>;

/** The answer of a deploy (`PUT /v1/integrations/:name`) or a rollback. */
export const Deployed = z.object({
  name: z.string(),
  version: z.number().int(),
  /** Whether this deploy created the integration. */
  created: z.boolean(),
  /** `false` when the spec equals the current version's: no new version was made. */
  changed: z.boolean(),
});
/** The answer of a deploy or a rollback. */
export type Deployed = z.infer<typeof Deployed>;

/** The answer of `POST /v1/integrations/validate`. */
export const Validated = z.object({ valid: z.boolean(), name: z.string() });

/** One log line of an integration's worker. */
export const LogLine = z.object({
  /** Increasing; the last one seen is where `--follow` continues. */
  id: z.number().int(),
  at: z.string(),
  level: z.string(),
  message: z.string(),
  fields: z.record(z.string(), z.unknown()),
});
/** One log line of an integration's worker. */
export type LogLine = z.infer<typeof LogLine>;

const Items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** A spec as sent to the platform. */
export interface SpecText {
  /** The YAML or JSON text. */
  spec: string;
  format: SpecFormat;
}

/** Integration names as the API accepts them. */
export const INTEGRATION_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * The integrations routes of the control-plane API, typed. Calls about one integration turn the
 * API's 404 into "no integration X; `vrsky integrations list` shows yours" (another tenant's
 * integrations are 404 too, so their existence does not leak).
 *
 * @example
 * ```ts
 * const api = new IntegrationsApi(await PlatformClient.fromProfile({ profile: flags.profile }));
 * const detail = await api.get("orders");
 * ```
 */
export class IntegrationsApi {
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

  /** The tenant's integrations, by name. */
  async list(): Promise<IntegrationSummary[]> {
    const { items } = await this.client.request("GET", "/v1/integrations", undefined, {
      schema: Items(IntegrationSummary),
    });
    return items;
  }

  /**
   * One integration with its versions.
   * @param name - the integration
   * @throws CliError `NOT_FOUND` naming `vrsky integrations list` when the tenant has none of that name
   */
  get(name: string): Promise<IntegrationDetail> {
    return this.#about(name, () =>
      this.client.request("GET", path(name), undefined, { schema: IntegrationDetail }),
    );
  }

  /**
   * Like {@link IntegrationsApi.get}, but `undefined` when the integration does not exist.
   * @param name - the integration
   */
  async find(name: string): Promise<IntegrationDetail | undefined> {
    try {
      return await this.client.request("GET", path(name), undefined, { schema: IntegrationDetail });
    } catch (error) {
      if (error instanceof PlatformError && error.status === 404) return undefined;
      throw error;
    }
  }

  /**
   * One version with its spec text.
   * @param name - the integration, known to exist
   * @param version - the version number
   * @throws PlatformError `NOT_FOUND` when there is no such version
   */
  version(name: string, version: number): Promise<IntegrationVersion> {
    return this.client.request("GET", `${path(name)}/versions/${version}`, undefined, {
      schema: IntegrationVersion,
    });
  }

  /**
   * Checks a spec as a deploy would (the spec and every connector config), deploying nothing.
   * @param spec - the spec
   * @returns the integration name the spec declares
   * @throws PlatformError `INVALID_SPEC` listing every problem, see {@link specRejected}
   */
  async validate(spec: SpecText): Promise<string> {
    const { name } = await this.client.request("POST", "/v1/integrations/validate", body(spec), {
      schema: Validated,
    });
    return name;
  }

  /**
   * Deploys a spec: a new version unless it equals the current one.
   * @param name - the integration; the spec must carry the same name
   * @param spec - the spec
   * @throws PlatformError `INVALID_SPEC`, or `QUOTA_EXCEEDED` when a new integration would
   *   exceed the tenant's plan
   */
  deploy(name: string, spec: SpecText): Promise<Deployed> {
    return this.client.request("PUT", path(name), body(spec), { schema: Deployed });
  }

  /**
   * Makes a new version with the spec (and pinned connectors) of an older one.
   * @param name - the integration, known to exist
   * @param version - the version to go back to
   * @throws PlatformError `NOT_FOUND` when there is no such version
   */
  rollback(name: string, version: number): Promise<Deployed> {
    return this.client.request("POST", `${path(name)}/rollback`, { version }, { schema: Deployed });
  }

  /**
   * Sets the desired state; the orchestrator starts or stops the worker.
   * @param name - the integration
   * @param action - `start` (desired state running) or `stop`
   * @throws CliError `NOT_FOUND` as {@link IntegrationsApi.get}
   */
  setDesiredState(name: string, action: "start" | "stop"): Promise<IntegrationDetail> {
    return this.#about(name, () =>
      this.client.request("POST", `${path(name)}/${action}`, undefined, { schema: IntegrationDetail }),
    );
  }

  /**
   * Deletes the integration with every version, its status and logs.
   * @param name - the integration
   * @throws CliError `NOT_FOUND` as {@link IntegrationsApi.get}
   */
  async delete(name: string): Promise<void> {
    await this.#about(name, () => this.client.request("DELETE", path(name)));
  }

  /**
   * Log lines of the integration's workers, oldest first: the newest `limit` ones, or with
   * `after` those after that id (to follow).
   * @param name - the integration
   * @param options - `after` (a line id), `limit` (1–1000, default 200) and a signal
   * @throws CliError `NOT_FOUND` as {@link IntegrationsApi.get}
   */
  async logs(
    name: string,
    options: { after?: number; limit?: number; signal?: AbortSignal } = {},
  ): Promise<LogLine[]> {
    const { items } = await this.#about(name, () =>
      this.client.request("GET", `${path(name)}/logs`, undefined, {
        schema: Items(LogLine),
        query: { after: options.after?.toString(), limit: options.limit?.toString() },
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    );
    return items;
  }

  async #about<T>(name: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof PlatformError && error.status === 404)) throw error;
      throw new CliError(error.code, `no integration ${name}; \`vrsky integrations list\` shows yours`, {
        suggestions: [
          "`vrsky whoami` shows the platform and key in use; other tenants' integrations are not visible",
        ],
        cause: error,
      });
    }
  }
}

/**
 * The CLI error for a spec the platform refused (`INVALID_SPEC`): every issue with its path in
 * the spec and its line (the API prefixes messages with `line N: `).
 * @param error - the API's refusal
 * @param file - the spec file, as the user named it
 * @param url - the platform
 */
export function specRejected(error: PlatformError, file: string, url: string): CliError {
  const issues: FailureIssue[] = error.issues.map((issue) => {
    const path = issue.path.replace(/^spec(\.|$)/, "") || "(root)";
    const line = /^line (\d+): /.exec(issue.message);
    return line
      ? { path, line: Number(line[1]), message: issue.message.slice(line[0].length) }
      : { path, message: issue.message };
  });
  const count = `${issues.length} problem${issues.length === 1 ? "" : "s"}`;
  return new CliError(
    CliErrorCode.ConfigInvalid,
    `${url} rejected ${file} (${count}); nothing was deployed`,
    {
      issues: issues.length > 0 ? issues : [{ path: "(root)", message: error.message }],
      suggestions: [
        `fix each problem listed in ${file}, then deploy again`,
        "`vrsky connectors list` shows the built-in connectors; `vrsky connectors info <name>` a registry connector's config",
      ],
      cause: error,
    },
  );
}

/** Only the fields the API takes: its body schemas are strict. */
function body(spec: SpecText): SpecText {
  return { spec: spec.spec, format: spec.format };
}

function path(name: string): string {
  return `/v1/integrations/${encodeURIComponent(name)}`;
}
