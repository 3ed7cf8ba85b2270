import { hostname } from "node:os";
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { type KV, Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import type {
  Connector,
  ConnectorContext,
  ConsumerConnector,
  ConverterConnector,
  FilterConnector,
  Message,
  ProducerConnector,
  StepInfo,
} from "@vrsky/sdk";
import { type Logger, pino } from "pino";
import { Registry } from "prom-client";
import { backoffDelay } from "../spec/backoff.js";
import type { ClaimCheck } from "./claim-check.js";
import { DeadLetterQueue } from "./dead-letter-queue.js";
import { DeadLetterWriter } from "./dead-letter-writer.js";
import type { RetrySchedule } from "./failure-policy.js";
import { createConnectorContext } from "./handler-context.js";
import { CheckpointWriter, KvStateStore } from "./kv-state-store.js";
import { holdLease } from "./lease.js";
import { createProcessHandler, type ProcessStep } from "./process-stage.js";
import { RuntimeMetrics } from "./runtime-metrics.js";
import { SinkStage } from "./sink-stage.js";
import { SourceRunner } from "./source-runner.js";
import { StageLoop } from "./stage-loop.js";
import {
  type IntegrationCounters,
  integrationCounters,
  messageStatus,
  type StageStatus,
  StatusTracker,
} from "./status-tracker.js";
import { DEFAULT_TRANSIT_LIMITS, ensureTopology, type Topology, type TransitLimits } from "./topology.js";
import { WriteCoalescer } from "./write-coalescer.js";

/** Retry policy of an integration or a sink. */
export interface RunnableRetryPolicy {
  attempts: number;
  initialMs: number;
  multiplier: number;
  maxMs: number;
  jitter: number;
}

/** A step with its connector and parsed config, as resolved from a spec. */
export interface RunnableStep<K extends Connector = Connector> {
  name: string;
  connector: K;
  /** Parsed config (secrets resolved). */
  config: unknown;
}

/** An integration ready to run: what `resolveIntegration` returns. */
export interface RunnableIntegration {
  name: string;
  source: RunnableStep<ConsumerConnector>;
  steps: readonly RunnableStep<ConverterConnector | FilterConnector>[];
  sinks: Readonly<Record<string, RunnableStep<ProducerConnector> & { retry: RunnableRetryPolicy }>>;
  routes: Readonly<Record<string, readonly string[]>> | undefined;
  settings: {
    retry: RunnableRetryPolicy;
    claimCheck: { thresholdBytes: number; ttlMs: number; store: "jetstream" | "s3" };
    concurrency: number;
    ordering: "none" | "source";
    dlq: { retentionMs: number };
    dedupWindowMs: number;
  };
}

/** Options of {@link IntegrationRunner.start}. */
export interface RunnerOptions {
  /** A connection to the tenant's NATS account. */
  nc: NatsConnection;
  /** Claim-check services for this integration (see `createClaimCheck`). */
  claimCheck: ClaimCheck;
  /** Tenant id. @default "dev" */
  tenant?: string;
  /** Unique id of this worker process. @default `<hostname>-<pid>-<random>` */
  worker?: string;
  /** Parent logger. @default pino at level `info` */
  logger?: Logger;
  /** Prometheus registry. @default a new one */
  registry?: Registry;
  /** Which parts run in this process. @default all three */
  roles?: { source?: boolean; process?: boolean; sinks?: boolean };
  /** Redelivery timeout for unacknowledged messages. @default 30_000 */
  ackWaitMs?: number;
  /** Lease TTL of a singleton source; fail-over takes at most this long. @default 10_000 */
  leaseTtlMs?: number;
  /** How long per-message status is kept. @default 3_600_000 (1 h) */
  statusTtlMs?: number;
  /** Whether per-message status is recorded. @default true */
  messageStatus?: boolean;
  /** Limits of the transit streams. */
  limits?: Partial<TransitLimits>;
  /** How long `stop` waits for in-flight work before returning it for redelivery. @default 10_000 */
  drainTimeoutMs?: number;
  /** Runs last in `stop` (releases what the caller opened for this runner). */
  onStop?: () => void | Promise<void>;
  /**
   * Sees every message a sink is about to deliver, queued or handed over directly (`vrsky dev`
   * shows them). Called on the hot path: keep it cheap; it must not throw.
   */
  onDelivering?: (sink: string, message: Message) => void;
}

/** A snapshot of a running integration. */
export interface IntegrationStatus {
  name: string;
  state: "running" | "paused" | "stopped";
  worker: string;
  /** Whether this worker runs the source now (a singleton source runs on one worker). */
  sourceActive: boolean;
  inFlight: Record<string, number>;
  /** Messages waiting in the ingress and sink streams (both are empty when all is delivered). */
  backlog: { ingress: number; sinks: number };
  deadLetters: number;
  counters: IntegrationCounters;
}

/**
 * Runs one integration on JetStream: the source (under a lease if it is a singleton), the
 * process stage (converters and filters, in-process) and one stage per sink. Any number of
 * workers may run the same integration; they share the durable consumers.
 */
export class IntegrationRunner {
  readonly integration: RunnableIntegration;
  readonly worker: string;
  readonly topology: Topology;
  readonly metrics: RuntimeMetrics;
  /** The integration's dead-letter queue. */
  readonly dlq: DeadLetterQueue;
  readonly #o: RunnerOptions;
  readonly #logger: Logger;
  readonly #stateKv: KV;
  readonly #statusKv: KV;
  readonly #jsm: JetStreamManager;
  readonly #tracker: StatusTracker;
  readonly #loops = new Map<string, StageLoop>();
  /** Stop reporting each stage's in-flight gauge. */
  readonly #unwatch: (() => void)[] = [];
  readonly #contexts: { connector: Connector; ctx: ConnectorContext<unknown, unknown> }[] = [];
  readonly #stop = new AbortController();
  readonly #writes = new WriteCoalescer();
  #source:
    | { runner: SourceRunner; done: Promise<void>; active: boolean; checkpoints: CheckpointWriter<unknown> }
    | undefined;
  #paused: { promise: Promise<void>; resume: () => void } | undefined;
  #state: "running" | "paused" | "stopped" = "running";

  private constructor(
    integration: RunnableIntegration,
    o: RunnerOptions,
    parts: {
      worker: string;
      topology: Topology;
      stateKv: KV;
      statusKv: KV;
      js: JetStreamClient;
      jsm: JetStreamManager;
    },
  ) {
    this.integration = integration;
    this.#o = o;
    this.worker = parts.worker;
    this.topology = parts.topology;
    this.#stateKv = parts.stateKv;
    this.#statusKv = parts.statusKv;
    this.#jsm = parts.jsm;
    this.#logger = (o.logger ?? pino({ level: "info" })).child({
      tenant: o.tenant ?? "dev",
      integration: integration.name,
      worker: parts.worker,
    });
    this.metrics = new RuntimeMetrics(o.registry ?? new Registry());
    this.#tracker = new StatusTracker({
      nc: o.nc,
      statusBucket: parts.topology.statusBucket,
      stateKv: parts.stateKv,
      worker: parts.worker,
      perMessage: o.messageStatus ?? true,
    });
    this.dlq = new DeadLetterQueue(parts.js, parts.jsm, parts.topology, o.claimCheck.reader);
  }

  /**
   * Creates the integration's streams, consumers and buckets if needed, initialises every
   * connector, and starts the parts this worker runs.
   * @throws whatever a connector's `init` throws (everything opened so far is closed first)
   */
  static async start(integration: RunnableIntegration, options: RunnerOptions): Promise<IntegrationRunner> {
    const { nc } = options;
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    const s = integration.settings;
    const ackWaitMs = options.ackWaitMs ?? 30_000;
    const topology = await ensureTopology(jsm, {
      integration: integration.name,
      sinks: Object.keys(integration.sinks),
      dedupWindowMs: s.dedupWindowMs,
      dlqRetentionMs: s.dlq.retentionMs,
      ordered: s.ordering === "source",
      ackWaitMs,
      limits: { ...DEFAULT_TRANSIT_LIMITS, ...options.limits },
    });
    const kvm = new Kvm(js);
    const stateKv = await kvm.create(topology.stateBucket, { history: 1 });
    const statusKv = await kvm.create(topology.statusBucket, {
      history: 1,
      ttl: options.statusTtlMs ?? 3_600_000,
    });
    const worker = options.worker ?? `${hostname()}-${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
    const runner = new IntegrationRunner(
      integration,
      { ...options, ackWaitMs },
      { worker, topology, stateKv, statusKv, js, jsm },
    );
    try {
      await runner.#startParts(js, kvm);
    } catch (err) {
      await runner.stop();
      throw err;
    }
    return runner;
  }

  /** Pauses: the source's `emit` waits and no stage pulls new messages. */
  async pause(): Promise<void> {
    if (this.#state !== "running") return;
    this.#state = "paused";
    let resume!: () => void;
    const promise = new Promise<void>((r) => {
      resume = r;
    });
    this.#paused = { promise, resume };
    await Promise.all([...this.#loops.values()].map((l) => l.pause()));
    this.#logger.info("paused");
  }

  /** Resumes after {@link IntegrationRunner.pause}. */
  resume(): void {
    if (this.#state !== "paused") return;
    this.#state = "running";
    this.#paused?.resume();
    this.#paused = undefined;
    for (const loop of this.#loops.values()) loop.start();
    this.#logger.info("resumed");
  }

  /**
   * Stops gracefully: the source stops first (nothing new comes in), then every stage finishes
   * its in-flight messages or, after the drain timeout, returns them for redelivery; then
   * checkpoints and status are flushed and every connector's `close` runs. Nothing is lost.
   */
  async stop(): Promise<void> {
    if (this.#state === "stopped") return;
    this.#state = "stopped";
    this.#paused?.resume();
    this.#stop.abort(new Error("stopping"));
    const deadline = this.#o.drainTimeoutMs ?? 10_000;
    if (this.#source) {
      await withDeadline(this.#source.done, deadline);
      await this.#source.checkpoints.flush().catch((err: unknown) => {
        this.#logger.error({ error: (err as Error).message }, "could not store the last checkpoint");
      });
    }
    await Promise.all([...this.#loops.values()].map((l) => l.stop(deadline)));
    await this.#tracker.stop();
    for (const unwatch of this.#unwatch) unwatch();
    for (const { connector, ctx } of this.#contexts.reverse()) {
      try {
        await connector.close?.(ctx);
      } catch (err) {
        this.#logger.error({ step: ctx.info.step, error: (err as Error).message }, "connector close failed");
      }
    }
    await this.#o.onStop?.();
    this.#logger.info("stopped");
  }

  /** A snapshot: state, in-flight counts, DLQ size and counters across all workers. */
  async status(): Promise<IntegrationStatus> {
    const inFlight: Record<string, number> = {};
    for (const [name, loop] of this.#loops) inFlight[name] = loop.inFlight;
    return {
      name: this.integration.name,
      state: this.#state,
      worker: this.worker,
      sourceActive: this.#source?.active ?? false,
      inFlight,
      backlog: {
        ingress: (await this.#jsm.streams.info(this.topology.inStream)).state.messages,
        sinks: (await this.#jsm.streams.info(this.topology.outStream)).state.messages,
      },
      deadLetters: await this.dlq.count(),
      counters: await this.counters(),
    };
  }

  /** Totals across every worker (written every flush interval). */
  async counters(): Promise<IntegrationCounters> {
    await this.#tracker.flush();
    return integrationCounters(this.#stateKv);
  }

  /** What this worker alone has counted since it started, without a round trip. */
  workerCounters(): IntegrationCounters {
    return { ...this.#tracker.counters };
  }

  /** Where message `id` is: the latest status of each stage it reached. */
  async messageStatus(id: string): Promise<StageStatus[]> {
    await this.#tracker.flush();
    return messageStatus(this.#statusKv, id);
  }

  #whenRunning = (): Promise<void> => this.#paused?.promise ?? Promise.resolve();

  async #context<K extends Connector>(
    step: RunnableStep<K>,
    role: string,
  ): Promise<ConnectorContext<unknown, unknown>> {
    const info: StepInfo = {
      tenant: this.#o.tenant ?? "dev",
      integration: this.integration.name,
      step: step.name,
      connector: step.connector.name,
      version: step.connector.version,
    };
    const base = createConnectorContext({
      config: step.config,
      resources: undefined,
      logger: this.#logger,
      state: new KvStateStore(this.#stateKv, step.name),
      blobs: this.#o.claimCheck.store,
      metrics: this.metrics,
      signal: this.#stop.signal,
      info,
    });
    const { resources: _r, ...initCtx } = base;
    const resources = await step.connector.init?.(initCtx as never);
    const ctx = { ...base, resources };
    this.#contexts.push({ connector: step.connector, ctx });
    this.#logger.debug({ step: step.name, role }, "connector initialised");
    return ctx;
  }

  async #startParts(js: JetStreamClient, kvm: Kvm): Promise<void> {
    const roles = { source: true, process: true, sinks: true, ...this.#o.roles };
    const { integration: spec, topology: t } = this;
    const s = spec.settings;
    const ackWaitMs = this.#o.ackWaitMs ?? 30_000;
    const concurrency = s.ordering === "source" ? 1 : s.concurrency;
    const deadLetters = new DeadLetterWriter({
      js,
      subject: t.dlqSubject,
      tenant: this.#o.tenant ?? "dev",
      integration: spec.name,
      logger: this.#logger,
    });
    this.#tracker.start();
    const stages = new Map<string, SinkStage>();
    if (roles.sinks) {
      for (const [name, sink] of Object.entries(spec.sinks)) {
        const stage = new SinkStage({
          integration: spec.name,
          sink: name,
          connector: sink.connector,
          ctx: await this.#context({ ...sink, name }, "sink"),
          retry: schedule(sink.retry),
          replaySubject: t.outSubject(name),
          claimCheck: this.#o.claimCheck,
          deadLetters,
          tracker: this.#tracker,
          metrics: this.metrics,
          logger: this.#logger,
          writes: this.#writes,
          ...(this.#o.onDelivering ? { onDelivering: this.#o.onDelivering } : {}),
        });
        stages.set(name, stage);
        const consumer = await js.consumers.get(t.outStream, t.sinkConsumer(name));
        const loop = new StageLoop({
          consumer,
          concurrency:
            stage.batched && s.ordering !== "source" ? Math.max(stage.batchSize, concurrency) : concurrency,
          ackWaitMs,
          handle: stage.handle,
          logger: this.#logger,
        });
        this.#loops.set(`sink:${name}`, loop);
        this.#unwatch.push(
          this.metrics.watchInFlight({ integration: spec.name, step: name }, () => stage.inFlight),
        );
        loop.start();
      }
    }
    if (roles.process) {
      const steps: ProcessStep[] = [];
      for (const step of spec.steps) steps.push({ ...step, ctx: await this.#context(step, "step") });
      const consumer = await js.consumers.get(t.inStream, t.processConsumer);
      // A lone sink whose producer takes single messages can take them straight from the
      // process stage; a batching producer keeps its queue, where its batches fill.
      const [only, ...more] = [...stages.values()];
      const handOff = only && more.length === 0 && !only.batched ? only : undefined;
      const loop = new StageLoop({
        consumer,
        concurrency,
        ackWaitMs,
        logger: this.#logger,
        handle: createProcessHandler({
          integration: spec.name,
          js,
          topology: t,
          steps,
          sinks: Object.keys(spec.sinks),
          routes: spec.routes,
          retry: schedule(s.retry),
          claimCheck: this.#o.claimCheck,
          deadLetters,
          tracker: this.#tracker,
          metrics: this.metrics,
          logger: this.#logger,
          writes: this.#writes,
          ...(handOff ? { handOff } : {}),
        }),
      });
      this.#loops.set("process", loop);
      this.#unwatch.push(
        this.metrics.watchInFlight({ integration: spec.name, step: "process" }, () => loop.inFlight),
      );
      loop.start();
    }
    if (roles.source) await this.#startSource(js, kvm);
  }

  async #startSource(js: JetStreamClient, kvm: Kvm): Promise<void> {
    const { source } = this.integration;
    const ctx = await this.#context(source, "source");
    const checkpoints = new CheckpointWriter<unknown>(this.#stateKv, source.name);
    const runner = new SourceRunner({
      tenant: this.#o.tenant ?? "dev",
      integration: this.integration.name,
      name: source.name,
      connector: source.connector,
      ctx,
      js,
      subject: this.topology.inSubject,
      claimCheck: this.#o.claimCheck,
      checkpoints,
      tracker: this.#tracker,
      metrics: this.metrics,
      logger: this.#logger,
      writes: this.#writes,
      maxInFlight: Math.max(1, this.integration.settings.concurrency),
      whenRunning: this.#whenRunning,
    });
    const singleton = source.connector.singleton !== false;
    const entry = { runner, done: Promise.resolve(), active: false, checkpoints };
    this.#source = entry;
    if (!singleton) {
      entry.active = true;
      entry.done = runner.run(this.#stop.signal);
      return;
    }
    const leaseTtlMs = this.#o.leaseTtlMs ?? 10_000;
    const leases = await kvm.create(this.topology.leaseBucket, { history: 1, ttl: leaseTtlMs });
    let current: Promise<void> = Promise.resolve();
    entry.done = holdLease({
      kv: leases,
      key: `source.${source.name}`,
      holder: this.worker,
      ttlMs: leaseTtlMs,
      signal: this.#stop.signal,
      onAcquired: (lost) => {
        const signal = AbortSignal.any([lost, this.#stop.signal]);
        this.#logger.info({ source: source.name }, "lease acquired; starting source");
        entry.active = true;
        current = current.then(() =>
          runner.run(signal).finally(() => {
            entry.active = false;
          }),
        );
      },
    }).then(() => current);
  }
}

function schedule(policy: RunnableRetryPolicy): RetrySchedule {
  return { attempts: policy.attempts, delay: (attempt) => backoffDelay(policy, attempt) };
}

async function withDeadline(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}
