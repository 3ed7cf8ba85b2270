// The runtime benchmark: `npm run bench:runtime` (BENCH_SECONDS=30 by default per measurement).
// Counts messages at the sink, runs the raw JetStream baseline twice to show its noise, and
// measures the claim-check path with peak RSS. See docs/performance.md.
import { createHash } from "node:crypto";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import {
  defineConsumer,
  defineConverter,
  defineFilter,
  defineProducer,
  type MessageInit,
  z,
} from "@vrsky/sdk";
import { pino } from "pino";
import { connectNats, deleteTopology, type RunnableIntegration, startIntegration } from "../src/index.js";

const NATS_URL = process.env.VRSKY_NATS_URL ?? "nats://127.0.0.1:4222";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
// Messages in flight per stage, for VRSky (`settings.concurrency`) and the raw baseline alike
// (publishers at once, and the pull batch of its consumer).
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 128);
const only = process.argv.slice(2);
const wants = (name: string) => only.length === 0 || only.includes(name);
const KIB = 1024;
const MIB = 1024 * KIB;

const payload1k = JSON.stringify({ text: "x".repeat(1000 - 40), amount: 42, id: "00000000" });
const now = () => performance.timeOrigin + performance.now();

// ── peak RSS sampling ────────────────────────────────────────────────────────────────────────
let peakRss = 0;
const rssTimer = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 25);
if (process.env.BENCH_MEMORY) {
  setInterval(() => {
    const m = process.memoryUsage();
    const mb = (n: number) => Math.round(n / 1048576);
    console.error(
      `rss ${mb(m.rss)} heapUsed ${mb(m.heapUsed)} heapTotal ${mb(m.heapTotal)} external ${mb(m.external)} arrayBuffers ${mb(m.arrayBuffers)}`,
    );
  }, 3000).unref();
}
rssTimer.unref();
function resetPeak() {
  peakRss = process.memoryUsage.rss();
}

// ── bench connectors ─────────────────────────────────────────────────────────────────────────
interface Feed {
  /** Produces the next message, or waits; `undefined` ends the feed. */
  next(signal: AbortSignal): Promise<MessageInit | undefined>;
}
const feeds = new Map<string, Feed>();
const source = defineConsumer({
  name: "bench-source",
  version: "1.0.0",
  description: "Emits what the benchmark feeds it, with many emits in flight.",
  config: z.object({ feed: z.string(), window: z.number().int().positive() }),
  singleton: false,
  async start(ctx, emit) {
    const feed = feeds.get(ctx.config.feed);
    if (!feed) throw new Error(`no feed ${ctx.config.feed}`);
    const lanes = Array.from({ length: ctx.config.window }, async () => {
      while (!ctx.signal.aborted) {
        const init = await feed.next(ctx.signal);
        if (!init) return;
        for (;;) {
          try {
            await emit(init);
            break;
          } catch (err) {
            if (ctx.signal.aborted) return;
            await new Promise((r) => setTimeout(r, 50));
            void err;
          }
        }
      }
    });
    await Promise.all(lanes);
  },
});
const converter = defineConverter({
  name: "bench-convert",
  version: "1.0.0",
  description: "Adds a computed field.",
  config: z.object({}),
  async convert(msg) {
    const body = (await msg.json()) as Record<string, unknown>;
    return {
      json: { ...body, total: Number(body.amount) * 2 },
      headers: msg.headers as Record<string, string>,
    };
  },
});
const filter = defineFilter({
  name: "bench-filter",
  version: "1.0.0",
  description: "Passes everything with an amount.",
  config: z.object({}),
  async filter(msg) {
    return msg.size > 0;
  },
});
interface SinkStats {
  count: number;
  latencies: number[];
  bytes: number;
  delayMs: number;
}
const sinks = new Map<string, SinkStats>();
const sink = defineProducer({
  name: "bench-sink",
  version: "1.0.0",
  description: "Counts deliveries and latency; streams bodies through sha256.",
  config: z.object({ stats: z.string() }),
  async deliver(msg, ctx) {
    const stats = sinks.get(ctx.config.stats) as SinkStats;
    if (stats.delayMs) await new Promise((r) => setTimeout(r, stats.delayMs));
    if (msg.isReference) {
      const hash = createHash("sha256");
      for await (const chunk of msg.stream()) {
        hash.update(chunk);
        stats.bytes += chunk.byteLength;
      }
      hash.digest();
    } else stats.bytes += msg.size;
    stats.count += 1;
    const sent = Number(msg.headers["x-sent"]);
    if (sent) stats.latencies.push(now() - sent);
  },
});

function spec(name: string, feed: string, stats: string, window: number, steps = true): RunnableIntegration {
  const retry = { attempts: 3, initialMs: 100, multiplier: 2, maxMs: 2000, jitter: 0.2 };
  return {
    name,
    source: { name: "source", connector: source as never, config: { feed, window } },
    steps: steps
      ? [
          { name: "convert", connector: converter as never, config: {} },
          { name: "filter", connector: filter as never, config: {} },
        ]
      : [],
    sinks: { out: { name: "out", connector: sink as never, config: { stats }, retry } },
    routes: undefined,
    settings: {
      retry,
      claimCheck: { thresholdBytes: 256 * KIB, ttlMs: 15 * 60_000, store: "jetstream" },
      concurrency: CONCURRENCY,
      ordering: "none",
      dlq: { retentionMs: 3_600_000 },
      dedupWindowMs: 120_000,
    },
  };
}

function pct(values: number[], p: number) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
const fmt = (n: number, d = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const mib = (b: number) => `${fmt(b / MIB, 1)} MiB`;

async function runIntegration(
  nc: NatsConnection,
  label: string,
  feed: Feed,
  opts: { window: number; seconds: number; delayMs?: number; steps?: boolean; settle?: boolean },
) {
  const name = `bench-${label}-${crypto.randomUUID().slice(0, 6)}`;
  feeds.set(name, feed);
  const stats: SinkStats = { count: 0, latencies: [], bytes: 0, delayMs: opts.delayMs ?? 0 };
  sinks.set(name, stats);
  const runner = await startIntegration(spec(name, name, name, opts.window, opts.steps ?? true), {
    nc,
    logger: pino({ level: "warn" }),
    messageStatus: process.env.BENCH_STATUS !== "off",
  });
  // Warm up for 2 s, then measure.
  await new Promise((r) => setTimeout(r, 2000));
  const startCount = stats.count;
  const startBytes = stats.bytes;
  stats.latencies = [];
  resetPeak();
  const t0 = now();
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, opts.seconds * 1000));
  const elapsed = (now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const result = {
    rate: (stats.count - startCount) / elapsed,
    cpuPerMsg: (cpu.user + cpu.system) / Math.max(1, stats.count - startCount),
    bytesPerSec: (stats.bytes - startBytes) / elapsed,
    latencies: stats.latencies,
    peakRss,
    delivered: stats.count,
  };
  await runner.stop();
  const jsm = await jetstreamManager(nc);
  await deleteTopology(jsm, name);
  return result;
}

function unbounded(make: (i: number) => MessageInit): Feed {
  let i = 0;
  return { next: async () => make(i++) };
}

function paced(perSecond: number, make: (i: number) => MessageInit): Feed {
  const start = now();
  let i = 0;
  return {
    next: async (signal) => {
      // Take a slot before waiting, so concurrent lanes spread out instead of firing together.
      const n = i++;
      const wait = start + (n * 1000) / perSecond - now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (signal.aborted) return undefined;
      return make(n);
    },
  };
}

async function rawJetStream(nc: NatsConnection, seconds: number) {
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const name = `bench-raw-${crypto.randomUUID().slice(0, 6)}`;
  await jsm.streams.add({
    name,
    subjects: [`${name}.>`],
    retention: "workqueue",
    discard: "new",
    max_msgs: 1_000_000,
  });
  await jsm.consumers.add(name, { durable_name: "c", ack_policy: "explicit", max_ack_pending: 10_000 });
  const data = new TextEncoder().encode(payload1k);
  let consumed = 0;
  let stop = false;
  const publishers = Array.from({ length: CONCURRENCY }, async (_, lane) => {
    let n = 0;
    while (!stop) {
      await js.publish(`${name}.in`, data, { msgID: `${lane}-${n++}` }).catch(() => undefined);
    }
  });
  const consumer = await js.consumers.get(name, "c");
  const messages = await consumer.consume({ max_messages: CONCURRENCY });
  const consuming = (async () => {
    for await (const m of messages) {
      consumed += 1;
      m.ack();
    }
  })();
  await new Promise((r) => setTimeout(r, 2000));
  const start = consumed;
  const t0 = now();
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const rate = (consumed - start) / ((now() - t0) / 1000);
  const used = process.cpuUsage(cpu0);
  const cpuPerMsg = (used.user + used.system) / Math.max(1, consumed - start);
  stop = true;
  await Promise.all(publishers);
  await messages.close();
  await consuming;
  await jsm.streams.delete(name);
  return { rate, cpuPerMsg };
}

// The connection a worker uses (connectNats: no stack capture per request), for both VRSky and
// the raw baseline.
const nc = await connectNats(NATS_URL, { name: "vrsky-bench" });
console.log(
  `VRSky runtime benchmark — ${SECONDS} s per measurement, concurrency ${CONCURRENCY}, NATS ${NATS_URL}, Node ${process.version}`,
);
const results: Record<string, string> = {};

async function endToEnd() {
  const e2e = await runIntegration(
    nc,
    "e2e",
    unbounded((i) => ({
      body: payload1k,
      contentType: "application/json",
      headers: { "x-sent": String(now()) },
      key: `m${i}`,
    })),
    { window: 256, seconds: SECONDS },
  );
  console.log(
    `VRSky end to end source→converter→filter→sink (1 KiB): ${fmt(e2e.rate)} msgs/s (counted at the sink), ${fmt(e2e.cpuPerMsg)} µs CPU per message`,
  );
  return e2e;
}

if (wants("throughput")) {
  const raw1 = await rawJetStream(nc, SECONDS);
  console.log(
    `raw JetStream publish+consume (1 KiB, run 1): ${fmt(raw1.rate)} msgs/s, ${fmt(raw1.cpuPerMsg)} µs CPU per message`,
  );
  const e2e = await endToEnd();
  const raw2 = await rawJetStream(nc, SECONDS);
  console.log(
    `raw JetStream publish+consume (1 KiB, run 2): ${fmt(raw2.rate)} msgs/s, ${fmt(raw2.cpuPerMsg)} µs CPU per message`,
  );
  const rawMean = (raw1.rate + raw2.rate) / 2;
  const rawCpu = (raw1.cpuPerMsg + raw2.cpuPerMsg) / 2;
  console.log(
    `ratio VRSky / raw JetStream: ${fmt(e2e.rate / rawMean, 2)} (raw noise between runs: ${fmt((Math.abs(raw1.rate - raw2.rate) / rawMean) * 100, 1)} %); CPU per message ${fmt(e2e.cpuPerMsg / rawCpu, 2)}× raw`,
  );
  results.throughput = `${fmt(e2e.rate)} msgs/s; ratio ${fmt(e2e.rate / rawMean, 2)}`;
}

// VRSky alone, without the baseline: for profiling (`node --cpu-prof`).
if (only.includes("e2e")) await endToEnd();

if (wants("latency")) {
  const lat = await runIntegration(
    nc,
    "latency",
    paced(1000, (i) => ({
      body: payload1k,
      contentType: "application/json",
      headers: { "x-sent": String(now()) },
      key: `l${i}`,
    })),
    { window: 64, seconds: SECONDS },
  );
  console.log(
    `latency at 1,000 msgs/s (${fmt(lat.latencies.length)} samples): p50 ${fmt(pct(lat.latencies, 50), 2)} ms, p99 ${fmt(pct(lat.latencies, 99), 2)} ms, max ${fmt(Math.max(...lat.latencies), 2)} ms; delivered ${fmt(lat.rate)} msgs/s`,
  );
}

if (wants("slow-sink")) {
  const slow = await runIntegration(
    nc,
    "slow",
    unbounded((i) => ({ body: payload1k, contentType: "application/json", key: `s${i}` })),
    { window: 256, seconds: Math.min(SECONDS, 30), delayMs: 20 },
  );
  console.log(
    `slow sink (20 ms per delivery), fast source: sink ${fmt(slow.rate)} msgs/s, peak RSS ${mib(slow.peakRss)} (backlog waits in JetStream, not in memory)`,
  );
}

if (wants("claim-check")) {
  const oneMiB = new Uint8Array(MIB).fill(7);
  const big = await runIntegration(
    nc,
    "mib",
    unbounded((i) => ({ body: oneMiB, headers: { "x-sent": String(now()) }, key: `b${i}` })),
    { window: 8, seconds: SECONDS, steps: false },
  );
  console.log(
    `claim check, 1 MiB payloads: ${fmt(big.rate, 1)} msgs/s (${mib(big.bytesPerSec)}/s), p99 ${fmt(pct(big.latencies, 99), 1)} ms, peak RSS ${mib(big.peakRss)}`,
  );
}

if (wants("gib")) {
  const size = Number(process.env.BENCH_GIB_BYTES ?? 1024 * MIB);
  let sent = false;
  const chunk = new Uint8Array(256 * KIB).fill(3);
  async function* body() {
    for (let off = 0; off < size; off += chunk.byteLength) yield chunk;
  }
  const name = `bench-gib-${crypto.randomUUID().slice(0, 6)}`;
  feeds.set(name, {
    next: async (signal) => {
      if (sent) {
        await new Promise((r) => signal.addEventListener("abort", r, { once: true }));
        return undefined;
      }
      sent = true;
      return { body: body(), headers: { "x-sent": String(now()) }, key: "gib" };
    },
  });
  const stats: SinkStats = { count: 0, latencies: [], bytes: 0, delayMs: 0 };
  sinks.set(name, stats);
  resetPeak();
  const t0 = now();
  const runner = await startIntegration(spec(name, name, name, 1, false), {
    nc,
    logger: pino({ level: "warn" }),
  });
  while (stats.count < 1) await new Promise((r) => setTimeout(r, 100));
  const seconds = (now() - t0) / 1000;
  console.log(
    `claim check, one ${mib(size)} payload source→sink (streamed both ways): ${fmt(seconds, 1)} s (${mib(size / seconds)}/s), peak RSS ${mib(peakRss)}`,
  );
  await runner.stop();
  await deleteTopology(await jetstreamManager(nc), name);
}

await nc.close();
