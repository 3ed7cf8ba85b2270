import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { builtinConnectors } from "@vrsky/connectors";
import {
  connectNats,
  createConnectorResolver,
  decodeEnvelope,
  envSecretSource,
  type IntegrationRunner,
  IntegrationSpec,
  type IntegrationSpecInput,
  loadIntegration,
  type NatsConnection,
  type ResolvedIntegration,
  resolveIntegration,
  startIntegration,
} from "@vrsky/runtime";
import type { Connector, Envelope } from "@vrsky/sdk";
import { resolveServices } from "@vrsky/services";
import { type FSWatcher, watch } from "chokidar";
import type { Logger } from "pino";
import { Registry } from "prom-client";
import { devInbox, devLog } from "./dev-connectors.js";
import type { DevTarget } from "./dev-target.js";

/** Something that happened in a dev session, for the live view or the log. */
export type DevEvent =
  | { type: "services"; nats: string; origin: string }
  | { type: "started"; integration: string; steps: string[]; sinks: string[] }
  | { type: "reloaded"; ms: number; file: string }
  | { type: "reload-failed"; message: string }
  | { type: "message"; stage: string; id: string; size: number; preview: string };

/** One message seen on the wire, for the live view. */
export interface SeenMessage {
  stage: string;
  id: string;
  at: number;
  size: number;
  contentType: string;
  preview: string;
}

/** Counts for the live view. */
export interface DevStats {
  integration: string;
  received: number;
  delivered: Record<string, number>;
  failed: Record<string, number>;
  retried: number;
  deadLettered: number;
  dlqSize: number;
  /** Messages per second delivered, over the last interval. */
  rate: number;
  last: SeenMessage[];
}

/** Options of {@link DevSession.start}. */
export interface DevSessionOptions {
  target: DevTarget;
  /** Where `.vrsky/dev.json` goes, for `vrsky send` and `vrsky dlq`. */
  cwd: string;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Watch and hot-reload. @default true */
  watch?: boolean;
  /** Preferred origin for services. */
  prefer?: "url" | "docker" | "local";
  onEvent?: (event: DevEvent) => void;
}

/** What `vrsky send` and `vrsky dlq` read to find the running session. */
export interface DevState {
  natsUrl: string;
  integration: string;
  pid: number;
  claimCheck: { thresholdBytes: number; ttlMs: number };
}

/** The file a running `vrsky dev` writes in its working directory. */
export function devStatePath(cwd: string): string {
  return join(cwd, ".vrsky", "dev.json");
}

/**
 * A `vrsky dev` session: services from the resolver, the integration on the real runtime, a
 * watcher that hot-reloads on change, and a tap on the integration's subjects for the live view.
 */
export class DevSession {
  readonly #o: DevSessionOptions;
  readonly #registry = new Registry();
  readonly #seen: SeenMessage[] = [];
  /** Ids of the messages seen entering the integration (a dev session's volumes are small). */
  readonly #entered = new Set<string>();
  #nc!: NatsConnection;
  #natsUrl = "";
  #stopServices: () => Promise<void> = async () => {};
  #runner!: IntegrationRunner;
  #watcher: FSWatcher | undefined;
  #reloading: Promise<void> = Promise.resolve();
  #lastDelivered = 0;
  #lastAt = performance.now();
  #tapClose: (() => void) | undefined;

  private constructor(options: DevSessionOptions) {
    this.#o = options;
  }

  /**
   * Starts services, loads and starts the integration, and (by default) watches for changes.
   * @throws ConfigError for an invalid spec or connector config; ServiceUnavailableError when
   *   NATS cannot be found or started
   */
  static async start(options: DevSessionOptions): Promise<DevSession> {
    const session = new DevSession(options);
    await session.#start();
    return session;
  }

  /** The running integration. */
  get runner(): IntegrationRunner {
    return this.#runner;
  }

  /** The NATS URL the session uses (may carry credentials). */
  get natsUrl(): string {
    return this.#natsUrl;
  }

  async #start(): Promise<void> {
    const services = await resolveServices(
      { nats: true },
      { env: this.#o.env ?? process.env, ...(this.#o.prefer ? { prefer: this.#o.prefer } : {}) },
    );
    this.#stopServices = () => services.stop();
    this.#natsUrl = services.nats.url;
    this.#emit({ type: "services", nats: services.nats.description, origin: services.nats.origin });
    this.#nc = await connectNats(services.nats.url, { name: "vrsky-dev" });
    const integration = await this.#load();
    this.#runner = await this.#run(integration);
    this.#tap(integration.name);
    this.#writeState(integration);
    this.#emit({
      type: "started",
      integration: integration.name,
      steps: integration.steps.map((s) => s.name),
      sinks: Object.keys(integration.sinks),
    });
    if (this.#o.watch ?? true) await this.#watch();
  }

  async #load(): Promise<ResolvedIntegration> {
    const { target } = this.#o;
    const builtins: Connector[] = [...builtinConnectors, devInbox, devLog];
    if (target.kind === "spec")
      return loadIntegration(target.file, { builtins, env: this.#o.env ?? process.env });
    const resolveConnector = createConnectorResolver({ builtins, baseDir: target.watchDir });
    const connector = await resolveConnector(target.entry);
    const config = target.config ?? connector.examples?.[0]?.config ?? {};
    const name = `dev-${connector.name}`;
    const step = { connector: target.entry, config: config as Record<string, unknown> };
    const input: IntegrationSpecInput =
      connector.kind === "consumer"
        ? { name, source: step, sinks: { log: { connector: "dev-log", config: {} } } }
        : connector.kind === "producer"
          ? { name, source: { connector: "dev-inbox", config: {} }, sinks: { [connector.name]: step } }
          : {
              name,
              source: { connector: "dev-inbox", config: {} },
              steps: [{ name: connector.name, ...step }],
              sinks: { log: { connector: "dev-log", config: {} } },
            };
    return resolveIntegration(IntegrationSpec.parse(input), {
      file: target.entry,
      resolveConnector,
      secrets: envSecretSource(this.#o.env ?? process.env),
    });
  }

  #run(integration: ResolvedIntegration): Promise<IntegrationRunner> {
    return startIntegration(integration, {
      nc: this.#nc,
      tenant: "dev",
      logger: this.#o.logger,
      registry: this.#registry,
      // Fast fail-over and redelivery suit a dev loop better than production's 10 s / 30 s.
      leaseTtlMs: 2000,
      ackWaitMs: 10_000,
      drainTimeoutMs: 5000,
      onDelivering: (sink, message) =>
        this.#see(`out.${sink}`, { id: message.id, contentType: message.contentType, body: message.body }),
    });
  }

  /**
   * Reloads: validates the new version first (a broken edit leaves the old one running), then
   * drains the old runner — in-flight messages finish or return to JetStream — and starts the
   * new one on the same streams, so nothing in flight is lost.
   * @returns how long the swap took
   */
  reload(file = "manual"): Promise<void> {
    this.#reloading = this.#reloading.then(async () => {
      const started = performance.now();
      let next: ResolvedIntegration;
      try {
        next = await this.#load();
      } catch (err) {
        this.#emit({ type: "reload-failed", message: (err as Error).message });
        return;
      }
      await this.#runner.stop();
      this.#runner = await this.#run(next);
      this.#emit({ type: "reloaded", ms: Math.round(performance.now() - started), file });
    });
    return this.#reloading;
  }

  async #watch(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    this.#watcher = watch(this.#o.target.watchDir, {
      ignored: (path) => /(^|[/\\])(node_modules|\.git|\.vrsky|dist|coverage)([/\\]|$)/.test(path),
      ignoreInitial: true,
    });
    this.#watcher.on("all", (_event, path) => {
      if (!/\.(ya?ml|json|[cm]?[jt]s)$/.test(path)) return;
      clearTimeout(timer);
      // Editors write in bursts (temp file, rename, chmod): coalesce them.
      timer = setTimeout(() => void this.reload(basename(path)), 50);
    });
    await new Promise<void>((resolve) => this.#watcher?.once("ready", () => resolve()));
  }

  /**
   * Shows what enters and what is dead-lettered by listening on the integration's subjects;
   * what each sink receives comes from the runner's `onDelivering`, since a lone sink gets its
   * messages handed over directly rather than through its queue.
   */
  #tap(integration: string): void {
    const prefix = `int.${integration}.`;
    const subs = ["in", "dlq"].map((stage) =>
      this.#nc.subscribe(`${prefix}${stage}`, {
        callback: (err, msg) => {
          if (err) return;
          try {
            this.#see(stage, decodeEnvelope(msg.data).envelope);
          } catch {
            // Not an envelope: nothing to show.
          }
        },
      }),
    );
    this.#tapClose = () => {
      for (const sub of subs) sub.unsubscribe();
    };
  }

  #see(stage: string, envelope: Pick<Envelope, "id" | "contentType" | "body">): void {
    if (stage === "in") this.#entered.add(envelope.id);
    const inline = envelope.body.type === "inline" ? envelope.body.bytes : undefined;
    const size = inline?.byteLength ?? (envelope.body.type === "ref" ? envelope.body.ref.size : 0);
    const preview = inline
      ? new TextDecoder().decode(inline.subarray(0, 200))
      : `(by reference, ${size} bytes)`;
    const seen: SeenMessage = {
      stage,
      id: envelope.id,
      at: Date.now(),
      size,
      contentType: envelope.contentType,
      preview,
    };
    this.#seen.push(seen);
    if (this.#seen.length > 50) this.#seen.shift();
    this.#emit({ type: "message", stage, id: seen.id, size, preview });
  }

  /** Counts, rate, DLQ size and the last messages, for the live view. */
  async stats(): Promise<DevStats> {
    const name = this.#runner.integration.name;
    const values = async (metric: string) =>
      ((await this.#registry.getSingleMetric(metric)?.get())?.values ?? []).filter(
        (v) => v.labels.integration === name,
      );
    const byStep = async (metric: string) => {
      const out: Record<string, number> = {};
      for (const v of await values(metric))
        out[String(v.labels.step)] = (out[String(v.labels.step)] ?? 0) + v.value;
      return out;
    };
    const sum = async (metric: string) => (await values(metric)).reduce((a, v) => a + v.value, 0);
    const delivered = await byStep("vrsky_messages_delivered_total");
    const total = Object.values(delivered).reduce((a, b) => a + b, 0);
    const now = performance.now();
    const rate = ((total - this.#lastDelivered) * 1000) / Math.max(1, now - this.#lastAt);
    this.#lastDelivered = total;
    this.#lastAt = now;
    return {
      integration: name,
      // What entered the integration, from its source or `vrsky send` (the source's own counter
      // misses the latter).
      received: Math.max(this.#entered.size, await sum("vrsky_messages_received_total")),
      delivered,
      failed: await byStep("vrsky_messages_failed_total"),
      retried: await sum("vrsky_messages_retried_total"),
      deadLettered: await sum("vrsky_messages_dead_lettered_total"),
      dlqSize: await this.#runner.dlq.count(),
      rate,
      last: [...this.#seen].reverse(),
    };
  }

  #writeState(integration: ResolvedIntegration): void {
    const state: DevState = {
      natsUrl: this.#natsUrl,
      integration: integration.name,
      pid: process.pid,
      claimCheck: {
        thresholdBytes: integration.settings.claimCheck.thresholdBytes,
        ttlMs: integration.settings.claimCheck.ttlMs,
      },
    };
    mkdirSync(join(this.#o.cwd, ".vrsky"), { recursive: true });
    writeFileSync(devStatePath(this.#o.cwd), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  }

  #emit(event: DevEvent): void {
    this.#o.onEvent?.(event);
  }

  /** Stops everything the session started: watcher, integration (drained), NATS, services. */
  async stop(): Promise<void> {
    await this.#watcher?.close();
    await this.#reloading;
    this.#tapClose?.();
    await this.#runner?.stop();
    await this.#nc?.drain().catch(() => undefined);
    await this.#stopServices();
    rmSync(devStatePath(this.#o.cwd), { force: true });
  }
}
