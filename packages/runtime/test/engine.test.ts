import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type IntegrationRunner,
  type RunnableIntegration,
  serveMetrics,
  startIntegration,
} from "../src/index.js";
import {
  channel,
  countingSource,
  deliveredIds,
  fieldRouter,
  push,
  pushSource,
  recordingSink,
  splitConverter,
  upperConverter,
} from "./__fixtures__/test-connectors.js";
import { cleanup, connectNats, integration, testLogger, uniqueName } from "./harness.js";

let nc: NatsConnection;
const names: string[] = [];
const runners: IntegrationRunner[] = [];

beforeAll(async () => {
  nc = await connectNats();
});
afterAll(async () => {
  await cleanup(nc, names, runners);
  await nc.close();
});

async function run(spec: RunnableIntegration, options: Partial<Parameters<typeof startIntegration>[1]> = {}) {
  names.push(spec.name);
  const runner = await startIntegration(spec, { nc, logger: testLogger, ackWaitMs: 2000, ...options });
  runners.push(runner);
  return runner;
}

function sink(ch: string, name: string, extra: Record<string, unknown> = {}) {
  return { connector: recordingSink, config: { channel: ch, sink: name, ...extra } };
}

const waitOpts = { timeout: 20_000, interval: 50 };

describe("the integration engine", () => {
  it("delivers every message from source through converter and filter to the sink, once per id", async () => {
    const name = uniqueName("flow");
    await run(
      integration(name, {
        source: { connector: pushSource, config: { channel: name } },
        steps: [
          { name: "upper", connector: upperConverter, config: {} },
          { name: "route", connector: fieldRouter, config: {} },
        ],
        sinks: { out: sink(name, "out") },
      }),
    );
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => push(name, { json: { text: `hello ${i}` }, key: `k-${i}` })),
    );
    expect(results.every((r) => !r.duplicate)).toBe(true);
    await expect.poll(() => deliveredIds(name, "out").size, waitOpts).toBe(200);
    const counts = [...(channel(name).delivered.get("out")?.values() ?? [])];
    expect(counts.every((n) => n === 1)).toBe(true);
    expect(channel(name).bodies.get("out")).toContain(JSON.stringify({ text: "HELLO 7" }));
  });

  it("accepts a message key once within the de-duplication window", async () => {
    const name = uniqueName("dedup");
    await run(
      integration(name, {
        source: { connector: pushSource, config: { channel: name } },
        sinks: { out: sink(name, "out") },
      }),
    );
    const first = await push(name, { json: { text: "a" }, key: "same" });
    const second = await push(name, { json: { text: "a" }, key: "same" });
    expect(first).toEqual({ id: "same", duplicate: false });
    expect(second).toEqual({ id: "same", duplicate: true });
    await expect.poll(() => deliveredIds(name, "out").size, waitOpts).toBe(1);
    expect(channel(name).delivered.get("out")?.get("same")).toBe(1);
  });

  it("fans out to several sinks independently: a failing sink dead-letters without touching the other", async () => {
    const name = uniqueName("fanout");
    const runner = await run(
      integration(name, {
        source: { connector: pushSource, config: { channel: name } },
        sinks: { good: sink(name, "good"), bad: sink(name, "bad", { alwaysFail: true }) },
      }),
    );
    await Promise.all(Array.from({ length: 20 }, (_, i) => push(name, { json: { i }, key: `m-${i}` })));
    await expect.poll(() => deliveredIds(name, "good").size, waitOpts).toBe(20);
    await expect.poll(() => runner.dlq.count(), waitOpts).toBe(20);
    const letters = await runner.dlq.list({ limit: 50 });
    expect(letters).toHaveLength(20);
    expect(letters.every((l) => l.failure.step === "bad" && l.failure.attempts === 3)).toBe(true);
    expect(letters[0]?.failure.error).toMatch(/target unavailable.*gave up after 3 attempts/);
    // The good sink got each message exactly once although the bad one was retried.
    expect([...(channel(name).delivered.get("good")?.values() ?? [])].every((n) => n === 1)).toBe(true);
    expect(channel(name).calls.get("bad")).toBe(60);
  });

  it("ends with every message delivered or dead-lettered when a sink fails half of its calls", async () => {
    const name = uniqueName("flaky");
    const runner = await run(
      integration(name, {
        source: { connector: pushSource, config: { channel: name } },
        sinks: { out: sink(name, "out", { failRatio: 0.5 }) },
      }),
    );
    const ids = (await Promise.all(Array.from({ length: 100 }, (_, i) => push(name, { json: { i } })))).map(
      (r) => r.id,
    );
    await expect.poll(() => deliveredIds(name, "out").size, waitOpts).toBe(100);
    expect(new Set(ids)).toEqual(deliveredIds(name, "out"));
    expect(await runner.dlq.count()).toBe(0);
    expect(channel(name).calls.get("out")).toBeGreaterThan(100);
  });

  it("dead-letters a malformed message at once with the reason, and keeps processing the rest", async () => {
    const name = uniqueName("malformed");
    const runner = await run(
      integration(name, {
        source: { connector: pushSource, config: { channel: name } },
        steps: [{ name: "upper", connector: upperConverter, config: {} }],
        sinks: { out: sink(name, "out") },
      }),
    );
    await push(name, { body: "not json", key: "bad-1", headers: { origin: "test" } });
    await push(name, { json: { text: "ok" }, key: "good-1" });
    await expect.poll(() => runner.dlq.count(), waitOpts).toBe(1);
    await expect.poll(() => deliveredIds(name, "out").size, waitOpts).toBe(1);
    const [letter] = await runner.dlq.list();
    expect(letter?.id).toBe("bad-1");
    expect(letter?.failure).toMatchObject({ stage: "process", step: "upper", attempts: 1, code: "FATAL" });
    expect(letter?.failure.error).toMatch(/not valid JSON/);
    expect(letter?.headers).toEqual({ origin: "test" });
  });

  it("lists, shows, replays and purges dead letters", async () => {
    const name = uniqueName("dlq");
    const spec = integration(name, {
      source: { connector: pushSource, config: { channel: name } },
      sinks: { out: sink(name, "out", { fatalIf: "poison" }) },
    });
    const runner = await run(spec);
    await push(name, { json: { v: "poison-1" }, key: "p1" });
    await push(name, { json: { v: "poison-2" }, key: "p2" });
    await push(name, { json: { v: "poison-3" }, key: "p3" });
    await expect.poll(() => runner.dlq.count(), waitOpts).toBe(3);
    const listed = await runner.dlq.list();
    expect(listed.map((l) => l.id)).toEqual(["p1", "p2", "p3"]);
    const shown = await runner.dlq.show(listed[1]?.seq ?? -1);
    expect(await shown?.message.json()).toEqual({ v: "poison-2" });
    await expect(runner.dlq.replay({})).rejects.toThrow(/all: true/);

    // Fix the sink (a new runner with the same spec, without the poison rule) and replay one.
    await runner.stop();
    const fixed = await run({
      ...spec,
      sinks: {
        out: { ...spec.sinks.out, config: recordingSink.config.parse({ channel: name, sink: "out" }) },
      } as never,
    });
    expect(await fixed.dlq.replay({ ids: ["p2"] })).toEqual({ replayed: 1 });
    await expect.poll(() => deliveredIds(name, "out"), waitOpts).toEqual(new Set(["p2"]));
    expect(await fixed.dlq.purge({ all: true })).toEqual({ purged: 2 });
    expect(await fixed.dlq.count()).toBe(0);
  });

  it("routes by filter decision to the sinks of each route, with a default route", async () => {
    const name = uniqueName("routes");
    await run(
      integration(name, {
        source: { connector: pushSource, config: { channel: name } },
        steps: [{ name: "route", connector: fieldRouter, config: {} }],
        sinks: { db: sink(name, "db"), slack: sink(name, "slack") },
        routes: { big: ["db", "slack"], small: ["db"], default: ["slack"] },
      }),
    );
    await push(name, { json: { route: "big" }, key: "big" });
    await push(name, { json: { route: "small" }, key: "small" });
    await push(name, { json: {}, key: "none" });
    await push(name, { json: { route: "drop" }, key: "dropped" });
    await expect.poll(() => deliveredIds(name, "db"), waitOpts).toEqual(new Set(["big", "small"]));
    await expect.poll(() => deliveredIds(name, "slack"), waitOpts).toEqual(new Set(["big", "none"]));
  });

  it("splits one message into several with stable ids", async () => {
    const name = uniqueName("split");
    await run(
      integration(name, {
        source: { connector: pushSource, config: { channel: name } },
        steps: [{ name: "split", connector: splitConverter, config: {} }],
        sinks: { out: sink(name, "out") },
      }),
    );
    await push(name, { json: { items: [{ a: 1 }, { a: 2 }, { a: 3 }] }, key: "batch" });
    await expect
      .poll(() => deliveredIds(name, "out"), waitOpts)
      .toEqual(new Set(["batch:0", "batch:1", "batch:2"]));
  });

  it("hands a lone sink one-to-one messages directly and queues what a converter splits", async () => {
    const name = uniqueName("handoff");
    const runner = await run(
      integration(name, {
        source: { connector: pushSource, config: { channel: name } },
        steps: [{ name: "split", connector: splitConverter, config: {} }],
        sinks: { out: sink(name, "out") },
      }),
    );
    const jsm = await jetstreamManager(nc);
    const queued = async () => (await jsm.streams.info(runner.topology.outStream)).state.last_seq;
    await push(name, { json: { items: [{ a: 1 }] }, key: "one" });
    await expect.poll(() => deliveredIds(name, "out"), waitOpts).toEqual(new Set(["one"]));
    expect(await queued()).toBe(0);
    await push(name, { json: { items: [{ a: 1 }, { a: 2 }] }, key: "two" });
    await expect.poll(() => deliveredIds(name, "out"), waitOpts).toEqual(new Set(["one", "two:0", "two:1"]));
    expect(await queued()).toBe(2);
  });

  it("reports in-flight messages per stage while a sink is slow, and drops the series on stop", async () => {
    const name = uniqueName("inflight");
    const runner = await run(
      integration(name, {
        source: { connector: pushSource, config: { channel: name } },
        sinks: { out: sink(name, "out", { delayMs: 1500 }) },
      }),
    );
    const server = await serveMetrics({ registry: runner.metrics.registry, port: 0 });
    const gauge = new RegExp(`vrsky_messages_in_flight\\{integration="${name}",step="out"\\} (\\d+)`);
    const scrape = async () => gauge.exec(await (await fetch(server.url)).text())?.[1];
    try {
      for (const key of ["s1", "s2", "s3"]) await push(name, { json: { v: key }, key });
      await expect.poll(scrape, waitOpts).toBe("3");
      await expect.poll(() => deliveredIds(name, "out"), waitOpts).toEqual(new Set(["s1", "s2", "s3"]));
      await expect.poll(scrape, waitOpts).toBe("0");
      await runner.stop();
      expect(await scrape()).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it("keeps source order when ordering is `source`", async () => {
    const name = uniqueName("ordered");
    await run(
      integration(name, {
        source: { connector: pushSource, config: { channel: name } },
        sinks: { out: sink(name, "out", { failRatio: 0.3 }) },
        settings: { ordering: "source" },
      }),
    );
    for (let i = 0; i < 30; i++) await push(name, { json: { i }, key: `o-${String(i).padStart(2, "0")}` });
    await expect.poll(() => deliveredIds(name, "out").size, waitOpts).toBe(30);
    expect(channel(name).bodies.get("out")).toEqual(
      Array.from({ length: 30 }, (_, i) => JSON.stringify({ i })),
    );
  });

  it("resumes a singleton source from its checkpoint after a restart, losing nothing", async () => {
    const name = uniqueName("resume");
    const spec = integration(name, {
      source: { connector: countingSource, config: { count: 50, channel: name } },
      sinks: { out: sink(name, "out") },
    });
    const first = await run(spec, { leaseTtlMs: 1000 });
    await expect.poll(() => deliveredIds(name, "out").size, waitOpts).toBeGreaterThanOrEqual(10);
    await first.stop();
    await run(spec, { leaseTtlMs: 1000 });
    await expect.poll(() => deliveredIds(name, "out").size, waitOpts).toBe(50);
    const counts = [...(channel(name).delivered.get("out")?.values() ?? [])];
    expect(counts.every((n) => n === 1)).toBe(true);
  });

  it("runs a singleton source on one worker at a time and fails over when it stops", async () => {
    const name = uniqueName("lease");
    const spec = integration(name, {
      source: { connector: countingSource, config: { count: 5, channel: name } },
      sinks: { out: sink(name, "out") },
    });
    const a = await run(spec, { leaseTtlMs: 600, worker: "worker-a" });
    const b = await run(spec, { leaseTtlMs: 600, worker: "worker-b" });
    await expect.poll(async () => (await a.status()).sourceActive, waitOpts).toBe(true);
    expect((await b.status()).sourceActive).toBe(false);
    await a.stop();
    await expect.poll(async () => (await b.status()).sourceActive, waitOpts).toBe(true);
    await expect.poll(() => deliveredIds(name, "out").size, waitOpts).toBe(5);
  });

  it("pauses and resumes: nothing flows while paused, everything after", async () => {
    const name = uniqueName("pause");
    const runner = await run(
      integration(name, {
        source: { connector: pushSource, config: { channel: name } },
        sinks: { out: sink(name, "out") },
      }),
    );
    await runner.pause();
    let accepted = false;
    const pending = push(name, { json: { x: 1 }, key: "while-paused" }).then(() => {
      accepted = true;
    });
    // emit waits while paused: the source gets back-pressure, not an error.
    await new Promise((resolve) => setImmediate(resolve));
    expect(accepted).toBe(false);
    runner.resume();
    await pending;
    await expect.poll(() => deliveredIds(name, "out"), waitOpts).toEqual(new Set(["while-paused"]));
    expect((await runner.status()).state).toBe("running");
  });

  it("answers where a message is and counts across workers", async () => {
    const name = uniqueName("status");
    const runner = await run(
      integration(name, {
        source: { connector: pushSource, config: { channel: name } },
        sinks: { a: sink(name, "a"), b: sink(name, "b", { fatalIf: "x" }) },
      }),
    );
    await push(name, { json: { v: "x" }, key: "tracked" });
    await expect.poll(() => runner.dlq.count(), waitOpts).toBe(1);
    await expect
      .poll(
        async () => (await runner.messageStatus("tracked")).map((s) => `${s.stage}=${s.state}`).sort(),
        waitOpts,
      )
      .toEqual(["process=processed", "sink:a=delivered", "sink:b=dead-lettered", "source=accepted"]);
    expect(await runner.counters()).toMatchObject({
      accepted: 1,
      processed: 1,
      delivered: 1,
      deadLettered: 1,
    });
    const server = await serveMetrics({ registry: runner.metrics.registry, port: 0 });
    try {
      const scraped = await (await fetch(server.url)).text();
      expect(scraped).toMatch(
        new RegExp(`vrsky_messages_delivered_total\\{integration="${name}",step="a"\\} 1`),
      );
      expect(scraped).toMatch(
        new RegExp(`vrsky_messages_dead_lettered_total\\{integration="${name}",step="b"\\} 1`),
      );
    } finally {
      await server.close();
    }
  });
});
