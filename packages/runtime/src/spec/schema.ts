import { z } from "zod";
import { closestName } from "./closest-name.js";
import { checkSecretRefs } from "./secret-ref.js";
import { Duration, Size } from "./units.js";

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const KEBAB_HINT = 'expected a kebab-case name such as "to-order" (lower-case letters, digits and dashes)';

/** The route name for messages that no filter routed. */
export const DEFAULT_ROUTE = "default";

/** The name a source gets when the spec gives none. */
export const DEFAULT_SOURCE_NAME = "source";

/** A kebab-case name of an integration, step or sink (used in NATS subjects and metrics). */
export const StageName = z.string().regex(KEBAB, { error: KEBAB_HINT });

/**
 * A connector reference: a built-in name (`http-webhook`), a path relative to the spec file
 * (`./connectors/upper.ts`), or an npm package name (`@acme/vrsky-salesforce`).
 */
export const ConnectorRef = z
  .string()
  .min(1, { error: "required: a built-in connector name, a ./relative/path.ts or an npm package name" });

/**
 * A step's raw config: any object; values may be {@link SecretRef}s. Validated against the
 * connector's own schema once the connector is known.
 * @default {}
 */
export const StepConfig = z
  .record(z.string(), z.unknown())
  .superRefine((config, ctx) => {
    checkSecretRefs(config, (path, message) => ctx.addIssue({ code: "custom", path, message }));
  })
  .default({});

const positiveDuration = Duration.refine((ms) => ms > 0, {
  error: "expected a duration above zero, e.g. 1s",
});

/** Exponential backoff between attempts. Every field has a default. */
export const Backoff = z.strictObject({
  /** Delay after the first failed attempt. @default 1s */
  initial: positiveDuration.default(1_000),
  /** Factor applied to the delay after each further failure. @default 2 */
  multiplier: z.number().min(1, { error: "expected a multiplier of 1 or more, e.g. 2" }).default(2),
  /** Longest delay. @default 1m */
  max: positiveDuration.default(60_000),
  /** Random spread, as a fraction of the delay (0.2 = ±20 %). @default 0.2 */
  jitter: z.number().min(0).max(1, { error: "expected a fraction from 0 to 1, e.g. 0.2" }).default(0.2),
});

const Attempts = z
  .int({ error: "expected a whole number of attempts, e.g. 3" })
  .min(1, { error: "expected at least 1 attempt (1 = no retry)" });

/** The integration's retry policy. */
export const Retry = z.strictObject({
  /** Deliveries tried before a message is dead-lettered, the first included. @default 3 */
  attempts: Attempts.default(3),
  /** Delay between attempts. */
  backoff: Backoff.prefault({}),
});

/** A sink's retry policy: any field given overrides the integration's `settings.retry`. */
export const SinkRetry = z.strictObject({
  /** Overrides `settings.retry.attempts`. */
  attempts: Attempts.optional(),
  /** Overrides fields of `settings.retry.backoff`. */
  backoff: z
    .strictObject({
      initial: positiveDuration.optional(),
      multiplier: Backoff.shape.multiplier.unwrap().optional(),
      max: positiveDuration.optional(),
      jitter: Backoff.shape.jitter.unwrap().optional(),
    })
    .optional(),
});

/** Where messages come from: one consumer connector. */
export const SourceSpec = z.strictObject({
  /** Name of the source stage. @default "source" */
  name: StageName.default(DEFAULT_SOURCE_NAME),
  /** The consumer connector. */
  connector: ConnectorRef,
  /** The connector's config. */
  config: StepConfig,
});

/** One converter or filter step. */
export const StepSpec = z.strictObject({
  /** Unique step name. */
  name: StageName,
  /** The converter or filter connector. */
  connector: ConnectorRef,
  /** The connector's config. */
  config: StepConfig,
});

/** One named sink: a producer connector. */
export const SinkSpec = z.strictObject({
  /** The producer connector. */
  connector: ConnectorRef,
  /** The connector's config. */
  config: StepConfig,
  /** Overrides of the integration's retry policy for this sink. */
  retry: SinkRetry.optional(),
});

/** Runtime settings; every field has a default. */
export const Settings = z.strictObject({
  /** Retry policy of every sink (a sink's own `retry` overrides it). */
  retry: Retry.prefault({}),
  /** Claim check: payloads above the threshold travel by reference through a blob store. */
  claimCheck: z
    .strictObject({
      /** Payload size from which the body goes to the blob store. @default 256KiB */
      threshold: Size.refine((bytes) => bytes > 0, {
        error: "expected a size above zero, e.g. 256KiB",
      }).default(262_144),
      /** How long a stored payload lives. @default 15m */
      ttl: positiveDuration.default(900_000),
      /** Blob store backend. @default "jetstream" */
      store: z.enum(["jetstream", "s3"]).default("jetstream"),
    })
    .prefault({}),
  /** Most messages in flight per stage. @default 16 */
  concurrency: z.int({ error: "expected a whole number, e.g. 16" }).min(1).default(16),
  /** `source` keeps source order (one message in flight per stage). @default "none" */
  ordering: z.enum(["none", "source"]).default("none"),
  /** Dead-letter queue. */
  dlq: z
    .strictObject({
      /** How long dead letters are kept. @default 7d */
      retention: positiveDuration.default(604_800_000),
    })
    .prefault({}),
  /** Window in which a repeated message key is dropped as a duplicate. @default 2m */
  dedupWindow: Duration.default(120_000),
});

/**
 * An integration spec: a source, ordered converter/filter steps, named sinks, optional routes
 * and settings. Parsing applies every default, turns durations into milliseconds and sizes
 * into bytes, and cross-checks names and routes. Connectors and secrets are resolved later by
 * `resolveIntegration`.
 */
export const IntegrationSpec = z
  .strictObject({
    /** Kebab-case id, used in NATS subjects (`int.<name>.in`). */
    name: StageName,
    /** What the integration does. */
    description: z.string().optional(),
    /** Where messages come from. */
    source: SourceSpec,
    /** Converters and filters, run in order. @default [] */
    steps: z.array(StepSpec).default([]),
    /** Named sinks (at least one). */
    sinks: z.record(z.string(), SinkSpec),
    /**
     * Route name (as returned by a filter) → sink names; `default` lists the sinks of messages
     * no filter routed. Without `routes`, every message goes to every sink.
     */
    routes: z
      .record(
        z.string().min(1),
        z
          .array(z.string())
          .min(1, { error: "list at least one sink; to drop messages, have the filter return false" }),
      )
      .optional(),
    /** Runtime settings. */
    settings: Settings.prefault({}),
  })
  // Runs even when fields are invalid, so a bad duration and a route to a missing sink are
  // reported together; it therefore reads the value defensively.
  .superRefine((value, ctx) => crossCheck(value, ctx), { when: () => true });

/** A parsed integration spec (defaults applied, durations in ms, sizes in bytes). */
export type IntegrationSpec = z.output<typeof IntegrationSpec>;
/** An integration spec as written, e.g. the argument of `defineIntegration`. */
export type IntegrationSpecInput = z.input<typeof IntegrationSpec>;

type Issue = { path: (string | number)[]; message: string };

function crossCheck(value: unknown, ctx: z.RefinementCtx): void {
  const add = ({ path, message }: Issue): void => ctx.addIssue({ code: "custom", path, message });
  if (!isRecord(value)) return;
  const sinkNames = isRecord(value.sinks) ? Object.keys(value.sinks) : undefined;
  checkNames(value, sinkNames).forEach(add);
  if (sinkNames?.length === 0) {
    add({ path: ["sinks"], message: "add at least one sink, e.g. sinks: { out: { connector: log-out } }" });
  }
  if (sinkNames !== undefined && isRecord(value.routes)) checkRoutes(value.routes, sinkNames).forEach(add);
}

function checkNames(value: Record<string, unknown>, sinkNames: string[] | undefined): Issue[] {
  const issues: Issue[] = [];
  const seen = new Map<string, string>();
  const claim = (name: unknown, path: (string | number)[], label: string): void => {
    if (typeof name !== "string" || !KEBAB.test(name)) return;
    const owner = seen.get(name);
    if (owner === undefined) seen.set(name, label);
    else {
      issues.push({
        path,
        message: `name "${name}" is already used by ${owner}: give the source, every step and every sink its own name`,
      });
    }
  };
  if (isRecord(value.source)) claim(value.source.name ?? DEFAULT_SOURCE_NAME, ["source", "name"], "source");
  if (Array.isArray(value.steps)) {
    value.steps.forEach((step, i) => {
      if (isRecord(step)) claim(step.name, ["steps", i, "name"], `steps[${i}]`);
    });
  }
  for (const name of sinkNames ?? []) {
    if (!KEBAB.test(name)) issues.push({ path: ["sinks", name], message: `sink name: ${KEBAB_HINT}` });
    else claim(name, ["sinks", name], `sinks.${name}`);
  }
  return issues;
}

function checkRoutes(routes: Record<string, unknown>, sinkNames: string[]): Issue[] {
  const issues: Issue[] = [];
  for (const [route, targets] of Object.entries(routes)) {
    if (!Array.isArray(targets)) continue;
    const seen = new Set<string>();
    targets.forEach((target, i) => {
      if (typeof target !== "string") return;
      if (!sinkNames.includes(target)) {
        const guess = closestName(target, sinkNames);
        issues.push({
          path: ["routes", route, i],
          message: `unknown sink "${target}": expected one of ${sinkNames.join(", ")}${guess ? ` (did you mean "${guess}"?)` : ""}`,
        });
      } else if (seen.has(target)) {
        issues.push({ path: ["routes", route, i], message: `sink "${target}" is listed twice: remove one` });
      }
      seen.add(target);
    });
  }
  return issues;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
