import {
  ConfigError,
  type ConfigIssue,
  type Connector,
  type ConnectorKind,
  type ConsumerConnector,
  type ConverterConnector,
  connectorSecretPaths,
  type FilterConnector,
  filterRoutes,
  type ProducerConnector,
  redact,
} from "@vrsky/sdk";
import type { RetryPolicy } from "./backoff.js";
import type { ConnectorResolver } from "./connector-resolver.js";
import { DEFAULT_ROUTE, type IntegrationSpec } from "./schema.js";
import { type Env, resolveSecretRefs, type SecretSource } from "./secrets.js";
import {
  formatPath,
  type PathSegment,
  type SpecPositions,
  sortIssues,
  specIssue,
  toSpecIssues,
} from "./spec-issues.js";

/**
 * One stage of a resolved integration: its connector and its parsed config.
 * @typeParam K - the connector type
 */
export interface ResolvedStep<K extends Connector = Connector> {
  /** The stage's name (`source`, a step name, or a sink name). */
  name: string;
  /** Where the stage is in the spec, e.g. `steps[0]` or `sinks.db`. */
  path: string;
  /** The connector. */
  connector: K;
  /** The config parsed by the connector's schema, references replaced by their values. */
  config: unknown;
  /** The same config with secret fields and referenced values redacted: safe to log or show. */
  redactedConfig: unknown;
}

/** A resolved sink, with its effective retry policy. */
export interface ResolvedSink extends ResolvedStep<ProducerConnector> {
  /** The integration's retry policy with the sink's overrides applied. */
  retry: RetryPolicy;
}

/** Runtime settings in base units (ms, bytes). */
export interface ResolvedSettings {
  /** The integration's retry policy (each sink has its own effective copy). */
  retry: RetryPolicy;
  /** Claim check. */
  claimCheck: { thresholdBytes: number; ttlMs: number; store: "jetstream" | "s3" };
  /** Most messages in flight per stage. */
  concurrency: number;
  /** `source` keeps source order (one message in flight per stage). */
  ordering: "none" | "source";
  /** Dead-letter queue. */
  dlq: { retentionMs: number };
  /** De-duplication window of message keys, in ms. */
  dedupWindowMs: number;
}

/** An integration ready to run: connectors loaded, secrets resolved, configs parsed. */
export interface ResolvedIntegration {
  /** Kebab-case id, used in NATS subjects. */
  name: string;
  /** What the integration does. */
  description?: string;
  /** The spec file, when it came from one. */
  file?: string;
  /** The consumer. */
  source: ResolvedStep<ConsumerConnector>;
  /** Converters and filters, in order. */
  steps: ResolvedStep<ConverterConnector | FilterConnector>[];
  /** Producers by sink name. */
  sinks: Record<string, ResolvedSink>;
  /** Route name → sink names; `undefined` sends every message to every sink. */
  routes: Record<string, string[]> | undefined;
  /** Runtime settings. */
  settings: ResolvedSettings;
  /** Suspicious but valid things (unused routes, routes no filter can return). */
  warnings: string[];
}

/** Options of {@link resolveIntegration}. */
export interface ResolveIntegrationOptions {
  /** The spec file; errors name it. */
  file?: string;
  /** Loads connectors, usually from `createConnectorResolver`. */
  resolveConnector: ConnectorResolver;
  /** Where `{ $secret: key }` is read. */
  secrets: SecretSource;
  /** Where `{ $env: NAME }` is read. @default process.env */
  env?: Env;
  /** Positions from `parseIntegrationSpecDocument` / `loadIntegrationSpec`, for line numbers. */
  positions?: SpecPositions;
}

type StageSpec = { connector: string; config: Record<string, unknown> };
type StageResult<K extends Connector> = { step?: ResolvedStep<K>; issues: ConfigIssue[] };

/**
 * Resolves a parsed spec into a runnable integration: loads each connector, checks its kind
 * (the source a consumer, steps converters or filters, sinks producers), resolves secret
 * references, and parses each config with the connector's own schema.
 *
 * @param spec - from `parseIntegrationSpec` or `loadIntegrationSpec`
 * @param options - the connector resolver, the secret source, and the spec's file and positions
 * @returns the integration; `warnings` lists valid but suspicious routing
 * @throws ConfigError listing every problem at once — unknown connector (with a suggestion),
 *   wrong kind, inline secret, unset variable, invalid step config — each with its path
 *   (e.g. `steps[0].config.expression`) and line when the spec came from YAML or JSON
 * @example
 * ```ts
 * const { spec, file, positions } = await loadIntegrationSpec("orders.yaml");
 * const integration = await resolveIntegration(spec, {
 *   file, positions, secrets: envSecretSource(),
 *   resolveConnector: createConnectorResolver({ builtins, baseDir: dirname(file) }),
 * });
 * ```
 */
export async function resolveIntegration(
  spec: IntegrationSpec,
  options: ResolveIntegrationOptions,
): Promise<ResolvedIntegration> {
  const stage = <K extends Connector>(
    name: string,
    path: PathSegment[],
    stageSpec: StageSpec,
    role: Role<K>,
  ): Promise<StageResult<K>> => resolveStage(name, path, stageSpec, role, options);
  const [source, steps, sinks] = await Promise.all([
    stage(spec.source.name, ["source"], spec.source, SOURCE),
    Promise.all(spec.steps.map((step, i) => stage(step.name, ["steps", i], step, STEP))),
    Promise.all(Object.entries(spec.sinks).map(([name, sink]) => stage(name, ["sinks", name], sink, SINK))),
  ]);
  const issues = [source, ...steps, ...sinks].flatMap((result) => result.issues);
  if (issues.length > 0 || source.step === undefined) {
    throw new ConfigError(sortIssues(issues), options.file === undefined ? {} : { where: options.file });
  }
  const retry = retryPolicy(spec.settings.retry.attempts, spec.settings.retry.backoff);
  const resolvedSteps = steps.flatMap((result) => (result.step ? [result.step] : []));
  const resolvedSinks: Record<string, ResolvedSink> = {};
  for (const result of sinks) {
    if (result.step === undefined) continue;
    const override = spec.sinks[result.step.name]?.retry;
    resolvedSinks[result.step.name] = {
      ...result.step,
      retry: retryPolicy(override?.attempts ?? retry.attempts, {
        initial: override?.backoff?.initial ?? retry.initialMs,
        multiplier: override?.backoff?.multiplier ?? retry.multiplier,
        max: override?.backoff?.max ?? retry.maxMs,
        jitter: override?.backoff?.jitter ?? retry.jitter,
      }),
    };
  }
  const { claimCheck, concurrency, ordering, dlq, dedupWindow } = spec.settings;
  return {
    name: spec.name,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    ...(options.file === undefined ? {} : { file: options.file }),
    source: source.step,
    steps: resolvedSteps,
    sinks: resolvedSinks,
    routes: spec.routes,
    settings: {
      retry,
      claimCheck: { thresholdBytes: claimCheck.threshold, ttlMs: claimCheck.ttl, store: claimCheck.store },
      concurrency,
      ordering,
      dlq: { retentionMs: dlq.retention },
      dedupWindowMs: dedupWindow,
    },
    warnings: routeWarnings(resolvedSteps, spec.routes),
  };
}

interface Role<K extends Connector> {
  kinds: readonly ConnectorKind[];
  describe: string;
  accepts(connector: Connector): connector is K;
}

const SOURCE: Role<ConsumerConnector> = {
  kinds: ["consumer"],
  describe: "the source must be a consumer",
  accepts: (c): c is ConsumerConnector => c.kind === "consumer",
};
const STEP: Role<ConverterConnector | FilterConnector> = {
  kinds: ["converter", "filter"],
  describe: "steps must be converters or filters",
  accepts: (c): c is ConverterConnector | FilterConnector => c.kind === "converter" || c.kind === "filter",
};
const SINK: Role<ProducerConnector> = {
  kinds: ["producer"],
  describe: "sinks must be producers",
  accepts: (c): c is ProducerConnector => c.kind === "producer",
};
const PLACE: Record<ConnectorKind, string> = {
  consumer: "a consumer belongs in `source`",
  producer: "a producer belongs under `sinks`",
  converter: "a converter belongs under `steps`",
  filter: "a filter belongs under `steps`",
};

async function resolveStage<K extends Connector>(
  name: string,
  path: PathSegment[],
  stage: StageSpec,
  role: Role<K>,
  options: ResolveIntegrationOptions,
): Promise<StageResult<K>> {
  const { positions } = options;
  let connector: Connector;
  try {
    connector = await options.resolveConnector(stage.connector);
  } catch (error) {
    const messages =
      error instanceof ConfigError
        ? error.issues.map((issue) => issue.message)
        : [
            `cannot load connector "${stage.connector}": ${error instanceof Error ? error.message : String(error)}`,
          ];
    return { issues: messages.map((message) => specIssue([...path, "connector"], message, positions)) };
  }
  if (!role.accepts(connector)) {
    const message = `connector "${stage.connector}" is a ${connector.kind}, but ${role.describe}: ${PLACE[connector.kind]}; use a ${role.kinds.join(" or ")} connector here`;
    return { issues: [specIssue([...path, "connector"], message, positions)] };
  }
  const configPath = [...path, "config"];
  const secretPaths = connectorSecretPaths(connector);
  const resolved = await resolveSecretRefs(stage.config, {
    path: configPath,
    secretPaths,
    env: options.env ?? process.env,
    secrets: options.secrets,
    ...(positions === undefined ? {} : { positions }),
  });
  // A config with unresolved references would fail the connector's schema for the wrong reason.
  if (resolved.issues.length > 0) return { issues: resolved.issues };
  const parsed = await connector.config.safeParseAsync(resolved.config);
  if (!parsed.success) {
    return {
      issues: toSpecIssues(parsed.error, { prefix: configPath, ...(positions ? { positions } : {}) }),
    };
  }
  const redactedConfig = redact(parsed.data, [...new Set([...secretPaths, ...resolved.refPaths])]);
  return {
    step: { name, path: formatPath(path), connector, config: parsed.data, redactedConfig },
    issues: [],
  };
}

function retryPolicy(
  attempts: number,
  backoff: { initial: number; multiplier: number; max: number; jitter: number },
): RetryPolicy {
  return {
    attempts,
    initialMs: backoff.initial,
    multiplier: backoff.multiplier,
    maxMs: backoff.max,
    jitter: backoff.jitter,
  };
}

function routeWarnings(
  steps: readonly ResolvedStep<ConverterConnector | FilterConnector>[],
  routes: Record<string, string[]> | undefined,
): string[] {
  const warnings: string[] = [];
  const declared = new Set<string>();
  for (const step of steps) {
    if (step.connector.kind !== "filter") continue;
    for (const route of filterRoutes(step.connector, step.config) ?? []) {
      declared.add(route);
      if (routes === undefined) {
        warnings.push(
          `${step.path} (${step.name}) can route to "${route}", but the integration has no routes: every message it passes goes to every sink`,
        );
      } else if (!(route in routes)) {
        warnings.push(
          `${step.path} (${step.name}) can route to "${route}", which routes does not list: such messages are dead-lettered; add routes.${route}`,
        );
      }
    }
  }
  for (const route of Object.keys(routes ?? {})) {
    if (route !== DEFAULT_ROUTE && !declared.has(route)) {
      warnings.push(`routes.${route}: no filter step declares this route, so it may never be used`);
    }
  }
  if (routes !== undefined && !(DEFAULT_ROUTE in routes)) {
    warnings.push(
      "routes has no `default`: messages that no filter routes reach no sink; add `default: [<sink>, …]` to keep them",
    );
  }
  return warnings;
}
