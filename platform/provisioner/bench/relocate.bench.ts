// The move benchmark: `npm run bench:relocate`. Provisions a tenant on a shared operator-mode
// nats-server, fills its account like a busy integration (a work queue holding BENCH_MESSAGES
// queued 1 KiB messages, default 50,000, and a KV bucket of 1,000 checkpoints), then moves it to a
// dedicated nats-server with `relocate` and prints how long the move took and how fast the
// streams were copied. A move of an empty account comes first, for the fixed cost.
import { performance } from "node:perf_hooks";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import {
  connectWithCreds,
  createOperator,
  LocalDedicatedServers,
  Placement,
  Provisioner,
  startOperatorNats,
} from "../src/index.js";

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 50_000);
const MIB = 1024 * 1024;
const PLAN = {
  maxStreams: 10,
  maxConsumers: 100,
  maxMemoryBytes: 64 * MIB,
  maxStorageBytes: 2048 * MIB,
  maxConnections: 20,
};

const operator = await createOperator();
const shared = await startOperatorNats({ operator, maxStorageBytes: 4096 * MIB, maxMemoryBytes: 256 * MIB });
const dedicated = new LocalDedicatedServers({
  operator,
  maxStorageBytes: 4096 * MIB,
  maxMemoryBytes: 256 * MIB,
});
const provisioner = new Provisioner({
  operator,
  shared,
  dedicated,
  placement: new Placement({ dedicatedThreshold: 50 }),
});

async function move(id: string, fill: (creds: string, url: string) => Promise<void>): Promise<void> {
  const tenant = await provisioner.provision({ id, plan: PLAN, integrationCount: 10 });
  const filling = performance.now();
  await fill(tenant.creds, tenant.url);
  const filled = performance.now() - filling;
  const started = performance.now();
  const result = await provisioner.relocate(id, 51);
  const total = performance.now() - started;
  const copied = result.moved;
  if (copied === undefined) throw new Error(`tenant ${id} did not move`);
  const rate = copied.messages / (total / 1000);
  console.log(
    `${id}: ${copied.streams} streams, ${copied.messages.toLocaleString("en-US")} messages, ` +
      `${(copied.bytes / MIB).toFixed(1)} MiB moved shared → dedicated in ${total.toFixed(0)} ms` +
      (copied.messages > 0
        ? ` (${Math.round(rate).toLocaleString("en-US")} msgs/s, ${(copied.bytes / MIB / (total / 1000)).toFixed(1)} MiB/s)`
        : " (the fixed cost: start a nats-server, push the account, remove it from the old one)"),
  );
  if (copied.messages > 0) {
    console.log(
      `  for scale: publishing those messages in the first place took ${filled.toFixed(0)} ms ` +
        `(${Math.round(copied.messages / (filled / 1000)).toLocaleString("en-US")} msgs/s)`,
    );
  }
  await provisioner.deprovision(id);
}

try {
  await move("empty", async () => undefined);
  await move("busy", async (creds, url) => {
    const nc = await connectWithCreds(url, creds);
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: "INGRESS", subjects: ["in.>"], retention: "workqueue" });
      await jsm.consumers.add("INGRESS", { durable_name: "process", ack_policy: AckPolicy.Explicit });
      const js = jetstream(nc);
      const body = new Uint8Array(1024).fill(120);
      const pending: Promise<unknown>[] = [];
      for (let i = 0; i < MESSAGES; i++) {
        pending.push(js.publish("in.orders", body, { msgID: `order-${i}` }));
        if (pending.length >= 512) await Promise.all(pending.splice(0));
      }
      await Promise.all(pending);
      const kv = await new Kvm(nc).create("checkpoints");
      for (let i = 0; i < 1000; i++) await kv.put(`source.${i}`, `{"offset":${i}}`);
    } finally {
      await nc.close();
    }
  });
} finally {
  await provisioner.close();
  await dedicated.close();
  await shared.stop();
}
