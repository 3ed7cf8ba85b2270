import type { z } from "zod";
import type { ConnectorContext, InitContext } from "./context.js";
import { ConfigError, type ConfigIssue } from "./errors.js";
import type { Message, MessageInit } from "./message.js";

/** The four kinds of connector. */
export const ConnectorKind = {
  /** Ingests messages from a system. */
  Consumer: "consumer",
  /** Delivers messages to a system. */
  Producer: "producer",
  /** Transforms a message into zero, one or many messages. */
  Converter: "converter",
  /** Passes, drops or routes a message. */
  Filter: "filter",
} as const;
/** One of {@link ConnectorKind}. */
export type ConnectorKind = (typeof ConnectorKind)[keyof typeof ConnectorKind];

/** A sample config shown in docs and the manifest, and checked by the conformance suite. */
export interface ConfigExample {
  /** A one-line title, e.g. "GitHub webhook with HMAC". */
  title: string;
  /** The config as a user writes it (secret fields as placeholders). */
  config: unknown;
}

/**
 * What every connector definition declares.
 * @typeParam C - parsed config type, inferred from `config`
 * @typeParam R - resources returned by `init`
 */
export interface ConnectorDefinitionBase<C, R> {
  /** Unique name, kebab-case, e.g. `http-webhook`. */
  name: string;
  /** Semantic version of the connector, e.g. `1.2.0`. */
  version: string;
  /** One sentence on what the connector does. */
  description: string;
  /** zod schema of the config; mark secret fields with `secret()`. */
  config: z.ZodType<C>;
  /** Catalog categories, e.g. `["http", "webhook"]`. @default [] */
  categories?: readonly string[];
  /** Icon: a URL, a data URI, or a short name from the catalog's icon set. */
  icon?: string;
  /** Sample configs; each must pass `config`. @default [] */
  examples?: readonly ConfigExample[];
  /**
   * Opens what the handlers need (clients, pools). Runs once per step instance before any
   * handler. Validates nothing: the config is already parsed.
   * @returns resources, available to handlers as `ctx.resources`
   */
  init?(ctx: InitContext<C>): R | Promise<R>;
  /** Releases what `init` opened. Always called last, even after a failed start. */
  close?(ctx: ConnectorContext<C, R>): void | Promise<void>;
}

/** Options for one call of {@link Emit}. */
export interface EmitOptions<K> {
  /**
   * The source position reached once this message is accepted. The runtime persists it after
   * durable acceptance (coalescing writes), and `ctx.checkpoint.load()` returns it on restart.
   */
  checkpoint?: K;
}

/** What {@link Emit} resolves to. */
export interface EmitResult {
  /** The id the runtime gave the message. */
  id: string;
  /** `true` when the message's `key` was already accepted within the de-duplication window. */
  duplicate: boolean;
}

/**
 * Hands a message to the runtime. The promise resolves only once the message is durably
 * accepted (stored in JetStream), so `await emit(…)` is both back-pressure and the point after
 * which the source may acknowledge or forget the message. It rejects if the message could not
 * be accepted; the source must then keep the message and try again.
 */
export type Emit<K = unknown> = (message: MessageInit, options?: EmitOptions<K>) => Promise<EmitResult>;

/** Typed access to a consumer's checkpoint. */
export interface CheckpointStore<K> {
  /** The last checkpoint saved, or `undefined` on first start. */
  load(): Promise<K | undefined>;
  /** Saves a checkpoint now (emit's `checkpoint` option saves after acceptance for you). */
  save(value: K): Promise<void>;
}

/** What a consumer's handlers receive. */
export interface ConsumerContext<C, R, K> extends ConnectorContext<C, R> {
  /** Where the source got to. */
  readonly checkpoint: CheckpointStore<K>;
}

/**
 * A consumer: ingests messages from a system.
 * @typeParam C - config type
 * @typeParam R - resources from `init`
 * @typeParam K - checkpoint type
 */
export interface ConsumerDefinition<C, R, K> extends ConnectorDefinitionBase<C, R> {
  /** zod schema of the checkpoint, so a stored checkpoint is validated before use. */
  checkpoint?: z.ZodType<K>;
  /**
   * Whether only one worker may run this source at a time. Sources reading something that must
   * not be read twice (a replication slot, a directory) are singletons: the runtime holds a
   * lease for them and fails over when the holder dies. Sources any number of workers can
   * serve side by side (an HTTP endpoint behind a load balancer) set `false`.
   * @default true
   */
  singleton?: boolean;
  /**
   * Reads from the system and emits messages until `ctx.signal` aborts. Resume from
   * `await ctx.checkpoint.load()`. Returning before the abort means the source is exhausted.
   */
  start(ctx: ConsumerContext<C, R, K>, emit: Emit<K>): Promise<void>;
}

/** What a producer's handlers receive for one delivery. */
export interface DeliveryContext<C, R> extends ConnectorContext<C, R> {
  /** The attempt number, starting at 1. */
  readonly attempt: number;
}

/** The outcome of one message in a batch delivery. */
export type BatchOutcome = { ok: true } | { ok: false; error: unknown };

/** Batching settings of a producer. */
export interface BatchSettings {
  /** Most messages in one batch. @default 100 */
  maxSize?: number;
  /** Longest wait to fill a batch, in milliseconds. @default 50 */
  maxWaitMs?: number;
}

/**
 * A producer: delivers messages to a system. `msg.id` is the idempotency key: delivering the
 * same id twice must have the effect of delivering it once.
 */
export interface ProducerDefinition<C, R> extends ConnectorDefinitionBase<C, R> {
  /**
   * Delivers one message. Throw `RetryableError` for transient failures and `FatalError` for
   * messages the target will never accept.
   */
  deliver(message: Message, ctx: DeliveryContext<C, R>): Promise<void>;
  /**
   * Delivers several messages at once (one transaction, one request). Return nothing when all
   * succeeded, or one outcome per message in order; a throw fails the whole batch.
   */
  deliverBatch?(
    messages: readonly Message[],
    ctx: DeliveryContext<C, R>,
    // biome-ignore lint/suspicious/noConfusingVoidType: `void` lets an all-succeeded batch simply return.
  ): Promise<void | readonly BatchOutcome[]>;
  /** Batching settings, used with `deliverBatch`. */
  batch?: BatchSettings;
}

/** What a converter may return. */
export type ConverterOutput = Message | MessageInit | readonly (Message | MessageInit)[] | null | undefined;

/** A converter: transforms one message into zero, one or many. Must be deterministic. */
export interface ConverterDefinition<C, R> extends ConnectorDefinitionBase<C, R> {
  /** Returns the output messages; `null`, `undefined` or `[]` drops the message. */
  convert(message: Message, ctx: ConnectorContext<C, R>): ConverterOutput | Promise<ConverterOutput>;
}

/**
 * A filter's decision: `true` passes the message on, `false` drops it, a route name or a list
 * of route names sends it to those routes.
 */
export type FilterDecision = boolean | string | readonly string[];

/** A filter: passes, drops or routes a message. Must be deterministic. */
export interface FilterDefinition<C, R> extends ConnectorDefinitionBase<C, R> {
  /** Route names this filter can return; checked against the integration's routes. */
  routes?: readonly string[];
  /**
   * Route names this filter can return with a given config, for filters whose routes are
   * configured (a rule-based router). Takes precedence over `routes`; resolve either with
   * {@link filterRoutes}.
   * @param config - the parsed config
   */
  routesFromConfig?(config: C): readonly string[];
  /** Decides what happens to the message. */
  filter(message: Message, ctx: ConnectorContext<C, R>): FilterDecision | Promise<FilterDecision>;
}

/** A consumer connector, as returned by {@link defineConsumer}. */
export type ConsumerConnector<C = unknown, R = unknown, K = unknown> = ConsumerDefinition<C, R, K> & {
  readonly kind: "consumer";
};
/** A producer connector, as returned by {@link defineProducer}. */
export type ProducerConnector<C = unknown, R = unknown> = ProducerDefinition<C, R> & {
  readonly kind: "producer";
};
/** A converter connector, as returned by {@link defineConverter}. */
export type ConverterConnector<C = unknown, R = unknown> = ConverterDefinition<C, R> & {
  readonly kind: "converter";
};
/** A filter connector, as returned by {@link defineFilter}. */
export type FilterConnector<C = unknown, R = unknown> = FilterDefinition<C, R> & { readonly kind: "filter" };

/** Any connector of any kind. */
export type Connector = ConsumerConnector | ProducerConnector | ConverterConnector | FilterConnector;

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function checkDefinition(kind: ConnectorKind, def: ConnectorDefinitionBase<unknown, unknown>): void {
  const issues: ConfigIssue[] = [];
  if (typeof def.name !== "string" || !NAME.test(def.name)) {
    issues.push({ path: "name", message: "expected a kebab-case name such as `http-webhook`" });
  }
  if (typeof def.version !== "string" || !SEMVER.test(def.version)) {
    issues.push({ path: "version", message: "expected a semantic version such as `1.0.0`" });
  }
  if (typeof def.description !== "string" || def.description.trim() === "") {
    issues.push({ path: "description", message: "required: one sentence on what the connector does" });
  }
  if (typeof def.config?.safeParse !== "function") {
    issues.push({ path: "config", message: "expected a zod schema, e.g. `z.object({ … })`" });
  }
  if (issues.length > 0) throw new ConfigError(issues, { where: `${kind} definition "${String(def.name)}"` });
}

/**
 * Defines a consumer connector.
 *
 * @param definition - name, version, description, config schema and the `start` handler
 * @returns the connector, ready to register with the runtime or test with `@vrsky/sdk/testing`
 * @throws ConfigError if the name, version, description or config schema is malformed
 * @example
 * ```ts
 * export default defineConsumer({
 *   name: "ticker", version: "1.0.0", description: "Emits a counter.",
 *   config: z.object({ count: z.number().int().positive() }),
 *   checkpoint: z.number().int(),
 *   async start(ctx, emit) {
 *     for (let i = (await ctx.checkpoint.load()) ?? 0; i < ctx.config.count && !ctx.signal.aborted; i++) {
 *       await emit({ json: { i }, key: `tick-${i}` }, { checkpoint: i + 1 });
 *     }
 *   },
 * });
 * ```
 */
export function defineConsumer<C, R = undefined, K = unknown>(
  definition: ConsumerDefinition<C, R, K>,
): ConsumerConnector<C, R, K> {
  checkDefinition(ConnectorKind.Consumer, definition);
  return Object.freeze({ ...definition, kind: ConnectorKind.Consumer });
}

/**
 * Defines a producer connector.
 *
 * @param definition - name, version, description, config schema and the `deliver` handler
 * @throws ConfigError if the name, version, description or config schema is malformed
 * @example
 * ```ts
 * export default defineProducer({
 *   name: "log-out", version: "1.0.0", description: "Logs each message.",
 *   config: z.object({}),
 *   async deliver(msg, ctx) { ctx.logger.info({ id: msg.id, size: msg.size }, "delivered"); },
 * });
 * ```
 */
export function defineProducer<C, R = undefined>(
  definition: ProducerDefinition<C, R>,
): ProducerConnector<C, R> {
  checkDefinition(ConnectorKind.Producer, definition);
  return Object.freeze({ ...definition, kind: ConnectorKind.Producer });
}

/**
 * Defines a converter connector.
 *
 * @param definition - name, version, description, config schema and the `convert` handler
 * @throws ConfigError if the name, version, description or config schema is malformed
 * @example
 * ```ts
 * export default defineConverter({
 *   name: "upper", version: "1.0.0", description: "Upper-cases text bodies.",
 *   config: z.object({}),
 *   async convert(msg) { return { body: (await msg.text()).toUpperCase() }; },
 * });
 * ```
 */
export function defineConverter<C, R = undefined>(
  definition: ConverterDefinition<C, R>,
): ConverterConnector<C, R> {
  checkDefinition(ConnectorKind.Converter, definition);
  return Object.freeze({ ...definition, kind: ConnectorKind.Converter });
}

/**
 * Defines a filter connector.
 *
 * @param definition - name, version, description, config schema and the `filter` handler
 * @throws ConfigError if the name, version, description or config schema is malformed
 * @example
 * ```ts
 * export default defineFilter({
 *   name: "big-orders", version: "1.0.0", description: "Routes orders by amount.",
 *   config: z.object({ threshold: z.number() }), routes: ["big", "small"],
 *   async filter(msg, ctx) {
 *     const { amount } = await msg.json(z.object({ amount: z.number() }));
 *     return amount >= ctx.config.threshold ? "big" : "small";
 *   },
 * });
 * ```
 */
export function defineFilter<C, R = undefined>(definition: FilterDefinition<C, R>): FilterConnector<C, R> {
  checkDefinition(ConnectorKind.Filter, definition);
  return Object.freeze({ ...definition, kind: ConnectorKind.Filter });
}

/**
 * Whether a value is a connector made by one of the `define*` helpers (for loaders that import
 * user code and must check what they got).
 * @param value - anything, e.g. a module's default export
 */
export function isConnector(value: unknown): value is Connector {
  if (typeof value !== "object" || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return (
    (kind === "consumer" || kind === "producer" || kind === "converter" || kind === "filter") &&
    typeof (value as { name?: unknown }).name === "string"
  );
}

/**
 * The route names a filter declares for a config: `routesFromConfig(config)` when the filter
 * derives its routes from its config, else its static `routes`, else `undefined` (undeclared).
 *
 * @param filter - a filter connector
 * @param config - its parsed config
 * @example
 * ```ts
 * const declared = filterRoutes(router, ctx.config); // ["priority", "big", "standard"]
 * ```
 */
export function filterRoutes<C>(
  filter: Pick<FilterDefinition<C, unknown>, "routes" | "routesFromConfig">,
  config: C,
): readonly string[] | undefined {
  return filter.routesFromConfig ? filter.routesFromConfig(config) : filter.routes;
}
