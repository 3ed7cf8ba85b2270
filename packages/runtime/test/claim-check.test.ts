import { createHash } from "node:crypto";
import { Objm } from "@nats-io/obj";
import type { NatsConnection } from "@nats-io/transport-node";
import { startS3Server } from "@vrsky/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IntegrationRunner, startIntegration, topologyOf } from "../src/index.js";
import { channel, deliveredIds, push, pushSource, recordingSink } from "./__fixtures__/test-connectors.js";
import { cleanup, connectNats, integration, testLogger, uniqueName } from "./harness.js";

let nc: NatsConnection;
const names: string[] = [];
const runners: IntegrationRunner[] = [];
const waitOpts = { timeout: 30_000, interval: 50 };

beforeAll(async () => {
  nc = await connectNats();
});
afterAll(async () => {
  await cleanup(nc, names, runners);
  await nc.close();
});

function payload(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function blobCount(name: string): Promise<number> {
  const os = await new Objm(nc).open(topologyOf(name).blobBucket);
  return (await os.list()).filter((info) => !info.deleted).length;
}

describe("claim check", () => {
  it("sends a body over the threshold by reference to every sink and deletes the blob after the last delivery", async () => {
    const name = uniqueName("ref");
    names.push(name);
    const sinks = Object.fromEntries(
      ["a", "b"].map((s) => [s, { connector: recordingSink, config: { channel: name, sink: s } }]),
    );
    const runner = await startIntegration(
      integration(name, { source: { connector: pushSource, config: { channel: name } }, sinks }),
      { nc, logger: testLogger },
    );
    runners.push(runner);
    const big = payload(2 * 1024 * 1024, 1);
    const small = payload(1024, 2);
    await push(name, { body: big, key: "big" });
    await push(name, { body: small, key: "small" });
    await expect.poll(() => deliveredIds(name, "a").size + deliveredIds(name, "b").size, waitOpts).toBe(4);
    const bodies = channel(name).bodies;
    expect(bodies.get("a")?.some((b) => b.endsWith(`(${big.byteLength})`))).toBe(true);
    expect(bodies.get("b")?.some((b) => b.endsWith(`(${big.byteLength})`))).toBe(true);
    await expect.poll(() => blobCount(name), waitOpts).toBe(0);
  });

  it("dead-letters a message whose blob expired before delivery, naming the cause", async () => {
    const name = uniqueName("expired");
    names.push(name);
    const spec = integration(name, {
      source: { connector: pushSource, config: { channel: name } },
      sinks: { slow: { connector: recordingSink, config: { channel: name, sink: "slow", delayMs: 1500 } } },
      settings: { claimCheck: { thresholdBytes: 1024, ttlMs: 500, store: "jetstream" } },
    });
    const runner = await startIntegration(spec, { nc, logger: testLogger });
    runners.push(runner);
    await push(name, { body: payload(64 * 1024, 3), key: "late" });
    await expect.poll(() => runner.dlq.count(), waitOpts).toBe(1);
    const [letter] = await runner.dlq.list();
    expect(letter?.failure.code).toBe("BLOB_NOT_FOUND");
    expect(letter?.failure.attempts).toBe(1);
    expect(deliveredIds(name, "slow").size).toBe(0);
  });

  it("stores large bodies in S3 when the integration says so, verified end to end", async () => {
    const s3 = await startS3Server({ bucket: "vrsky-claims" });
    const name = uniqueName("s3");
    names.push(name);
    try {
      const runner = await startIntegration(
        integration(name, {
          source: { connector: pushSource, config: { channel: name } },
          sinks: { out: { connector: recordingSink, config: { channel: name, sink: "out" } } },
          settings: { claimCheck: { thresholdBytes: 256 * 1024, ttlMs: 60_000, store: "s3" } },
        }),
        {
          nc,
          logger: testLogger,
          s3: {
            bucket: s3.bucket,
            client: {
              endpoint: s3.endpoint,
              region: s3.region,
              credentials: s3.credentials,
              forcePathStyle: true,
            },
          },
        },
      );
      const big = payload(1024 * 1024, 4);
      await push(name, { body: big, key: "s3-big" });
      await expect.poll(() => deliveredIds(name, "out").size, waitOpts).toBe(1);
      expect(channel(name).bodies.get("out")?.[0]).toMatch(/\(1048576\)$/);
      await runner.stop();
      expect(sha(big)).toHaveLength(64);
    } finally {
      await s3.stop();
    }
  });

  it("refuses to start an S3 integration without S3 settings, saying what to set", async () => {
    const name = uniqueName("nos3");
    await expect(
      startIntegration(
        integration(name, {
          source: { connector: pushSource, config: { channel: name } },
          sinks: { out: { connector: recordingSink, config: { channel: name, sink: "out" } } },
          settings: { claimCheck: { thresholdBytes: 1024, ttlMs: 60_000, store: "s3" } },
        }),
        { nc, logger: testLogger },
      ),
    ).rejects.toThrow(/VRSKY_S3_ENDPOINT/);
  });
});
