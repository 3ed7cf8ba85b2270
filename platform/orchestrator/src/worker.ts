// A tenant's worker process: runs the integrations the orchestrator sends it, on the tenant's
// NATS connection, and reports their state. Forked by the orchestrator; talks over IPC.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { credsAuthenticator, type NatsConnection } from "@nats-io/transport-node";
import { builtinsByName } from "@vrsky/connectors";
import {
  connectNats,
  createConnectorResolver,
  type IntegrationRunner,
  parseIntegrationSpecDocument,
  resolveIntegration,
  startIntegration,
} from "@vrsky/runtime";
import { describeError } from "@vrsky/sdk";
import { destination, pino } from "pino";
import { type CachedBundle, type FromWorker, ToWorker } from "./protocol.js";

const env = process.env;
const tenant = env.VRSKY_TENANT ?? "unknown";
const namespace = env.VRSKY_NAMESPACE ?? "";
const ackWaitMs = Number(env.VRSKY_ACK_WAIT_MS ?? 30_000);
const logger = pino(
  { level: env.VRSKY_LOG_LEVEL ?? "info", base: { tenant, pid: process.pid } },
  destination(2),
);

interface Running {
  version: number;
  revision: string;
  runner: IntegrationRunner;
  /** Why the orchestrator paused it (a quota), repeated in every report until resumed. */
  paused?: string;
  /** This worker's accepted count at the previous report. */
  reported: number;
}
const running = new Map<string, Running>();
/** One change at a time per integration, in arrival order. */
const queues = new Map<string, Promise<void>>();

function send(message: FromWorker): void {
  process.send?.(message);
}

async function connect(): Promise<NatsConnection> {
  const credsFile = env.VRSKY_NATS_CREDS_FILE;
  const creds = credsFile ? await readFile(credsFile) : undefined;
  return connectNats(env.VRSKY_NATS_URL ?? "nats://127.0.0.1:4222", {
    name: `vrsky-worker-${tenant}`,
    ...(creds ? { authenticator: credsAuthenticator(creds) } : {}),
  });
}

async function verifiedBundle(bundle: CachedBundle): Promise<string> {
  const bytes = await readFile(bundle.file);
  const actual = createHash("sha256").update(bytes).digest("hex");
  if (actual !== bundle.sha256) {
    throw new Error(
      `bundle for ${bundle.ref} has sha256 ${actual.slice(0, 12)}…, expected ${bundle.sha256.slice(0, 12)}…; refusing to load it`,
    );
  }
  return bundle.file;
}

async function run(nc: NatsConnection, message: Extract<ToWorker, { type: "run" }>): Promise<void> {
  const current = running.get(message.name);
  if (current?.revision === message.revision) return;
  if (current) {
    await current.runner.stop();
    running.delete(message.name);
  }
  send({ type: "status", name: message.name, version: message.version, state: "starting" });
  try {
    const file = message.format === "json" ? "integration.json" : "integration.yaml";
    const { spec, positions } = parseIntegrationSpecDocument(message.spec, { file, format: message.format });
    const builtins = builtinsByName();
    const paths = createConnectorResolver({ builtins, baseDir: process.cwd() });
    const bundles = new Map(message.bundles.map((b) => [b.ref, b]));
    const resolved = await resolveIntegration(spec, {
      file,
      positions,
      env: {},
      secrets: {
        get: async (key) => message.secrets[key],
        hint: (key) => `set it with \`vrsky secrets set ${key}\`; the integration restarts when it is set`,
      },
      resolveConnector: async (ref) => {
        const builtin = builtins[ref];
        if (builtin) return builtin;
        const bundle = bundles.get(ref);
        if (!bundle) throw new Error(`connector ${ref} was not provided to this worker`);
        return paths(await verifiedBundle(bundle));
      },
    });
    const runner = await startIntegration(
      { ...resolved, name: `${namespace}${resolved.name}` },
      { nc, tenant, logger, ackWaitMs },
    );
    running.set(message.name, { version: message.version, revision: message.revision, runner, reported: 0 });
    send({ type: "status", name: message.name, version: message.version, state: "running" });
  } catch (error) {
    const { message: reason } = describeError(error);
    logger.error({ integration: message.name, version: message.version, error: reason }, "cannot start");
    send({ type: "status", name: message.name, version: message.version, state: "failed", error: reason });
  }
}

async function stop(name: string): Promise<void> {
  const current = running.get(name);
  running.delete(name);
  await current?.runner.stop();
  send({ type: "status", name, version: current?.version ?? null, state: "stopped" });
}

/** Largest body `show` sends back; bigger ones (claim-check bodies up to GiBs) are left out. */
const MAX_SHOWN_BODY = 1024 * 1024;

async function showLetter(runner: IntegrationRunner, seq: number) {
  const letter = await runner.dlq.show(seq);
  if (!letter) return null;
  const { message, ...entry } = letter;
  if (entry.size > MAX_SHOWN_BODY) return { ...entry, body: null, bodyEncoding: null };
  const bytes = await message.bytes();
  try {
    return { ...entry, body: new TextDecoder("utf-8", { fatal: true }).decode(bytes), bodyEncoding: "utf8" };
  } catch {
    return { ...entry, body: Buffer.from(bytes).toString("base64"), bodyEncoding: "base64" };
  }
}

async function deadLetters(message: Extract<ToWorker, { type: "dlq" }>): Promise<void> {
  const current = running.get(message.name);
  try {
    if (!current) throw new Error(`integration ${message.name} is not running in this worker`);
    const { dlq } = current.runner;
    const selector = message.selector ?? {};
    const result =
      message.op === "show"
        ? await showLetter(current.runner, message.seq ?? 0)
        : message.op === "list"
          ? {
              total: await dlq.count(),
              items: await dlq.list({
                ...(message.limit ? { limit: message.limit } : {}),
                ...(message.fromSeq ? { fromSeq: message.fromSeq } : {}),
              }),
            }
          : message.op === "replay"
            ? await dlq.replay(selector)
            : await dlq.purge(selector);
    send({ type: "dlq-result", requestId: message.requestId, ok: true, result });
  } catch (error) {
    send({
      type: "dlq-result",
      requestId: message.requestId,
      ok: false,
      error: describeError(error).message,
    });
  }
}

async function handle(nc: NatsConnection, message: ToWorker): Promise<void> {
  const current = running.get(message.name);
  switch (message.type) {
    case "dlq":
      return deadLetters(message);
    case "run":
      return run(nc, message);
    case "stop":
      return stop(message.name);
    case "pause":
      await current?.runner.pause();
      if (current) {
        send({
          type: "status",
          name: message.name,
          version: current.version,
          state: "running",
          error: message.reason,
        });
      }
      return;
    case "resume":
      await current?.runner.resume();
      return;
  }
}

async function reportCounters(): Promise<void> {
  for (const [name, entry] of running) {
    const { version, runner, paused } = entry;
    try {
      const counters = await runner.counters();
      const accepted = runner.workerCounters().accepted;
      const acceptedSinceLast = accepted - entry.reported;
      entry.reported = accepted;
      send({
        type: "status",
        name,
        version,
        state: "running",
        counters: { ...counters },
        acceptedSinceLast,
        ...(paused ? { error: paused } : {}),
      });
    } catch (error) {
      logger.warn({ integration: name, error: describeError(error).message }, "cannot read counters");
    }
  }
}

const nc = await connect();
process.on("message", (raw) => {
  const parsed = ToWorker.safeParse(raw);
  if (!parsed.success) {
    logger.error({ error: parsed.error.message }, "ignoring a malformed message from the orchestrator");
    return;
  }
  const message = parsed.data;
  const previous = queues.get(message.name) ?? Promise.resolve();
  const next = previous
    .then(() => handle(nc, message))
    .catch((error: unknown) => {
      logger.error({ integration: message.name, error: describeError(error).message }, "command failed");
    });
  queues.set(message.name, next);
});
const timer = setInterval(
  () => {
    send({ type: "heartbeat" });
    void reportCounters();
  },
  Number(env.VRSKY_REPORT_MS ?? 2000),
);

async function shutdown(): Promise<void> {
  clearInterval(timer);
  await Promise.all([...running.keys()].map((name) => stop(name)));
  await nc.drain().catch(() => undefined);
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown());
process.once("disconnect", () => void shutdown());
send({ type: "ready" });
