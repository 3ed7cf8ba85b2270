import { setTimeout as delay } from "node:timers/promises";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { Objm } from "@nats-io/obj";
import { headers, nanos } from "@nats-io/transport-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LocalDedicatedServers } from "./dedicated-servers.js";
import { createOperator, type OperatorKeys } from "./operator-keys.js";
import { type OperatorNats, startOperatorNats } from "./operator-nats.js";
import { Placement } from "./placement.js";
import { Provisioner } from "./provisioner.js";
import { Connections, TEST_PLAN } from "./test-tenants.js";

let operator: OperatorKeys;
let shared: OperatorNats;
let dedicated: LocalDedicatedServers;
let provisioner: Provisioner;
const connections = new Connections();
const resources = { streams: [{ name: "INBOX", subjects: ["int.*.in"] }] };

beforeAll(async () => {
  operator = await createOperator();
  shared = await startOperatorNats({ operator });
  dedicated = new LocalDedicatedServers({ operator });
  provisioner = new Provisioner({ operator, shared, dedicated, placement: new Placement() });
});

afterEach(async () => {
  await connections.closeAll();
});

afterAll(async () => {
  await provisioner?.close();
  await dedicated?.close();
  await shared?.stop();
});

describe("dedicated local servers", () => {
  it("gives a tenant over the threshold its own nats-server, where its account and JetStream work", async () => {
    const big = await provisioner.provision({ id: "big", plan: TEST_PLAN, integrationCount: 51, resources });
    const small = await provisioner.provision({
      id: "small",
      plan: TEST_PLAN,
      integrationCount: 50,
      resources,
    });
    try {
      expect(big.placement).toBe("dedicated");
      expect(big.url).not.toBe(shared.url);
      expect(small).toMatchObject({ placement: "shared", url: shared.url });

      const server = await dedicated.get("big");
      expect(server?.url).toBe(big.url);
      expect(server?.pid).not.toBe(shared.pid);

      const jsm = await jetstreamManager(await connections.open(big.url, big.creds));
      expect((await jsm.streams.info("INBOX")).config.subjects).toEqual(["int.*.in"]);
      expect((await jsm.getAccountInfo()).limits.max_streams).toBe(TEST_PLAN.maxStreams);
      // The shared server never heard of the big tenant's account.
      await expect(connections.open(shared.url, big.creds)).rejects.toThrow("Authorization Violation");
    } finally {
      await provisioner.deprovision("big");
      await provisioner.deprovision("small");
    }
    expect(await dedicated.get("big")).toBeUndefined();
  });

  it("moves a tenant that grew over the threshold to a dedicated server, keeping its creds valid", async () => {
    const tenant = await provisioner.provision({
      id: "growing",
      plan: TEST_PLAN,
      integrationCount: 10,
      resources,
    });
    try {
      await connections.open(shared.url, tenant.creds);
      const moved = await provisioner.relocate("growing", 80);

      expect(moved).toMatchObject({ placement: "dedicated", integrationCount: 80 });
      expect(moved.serverUrl).not.toBe(shared.url);
      const jsm = await jetstreamManager(await connections.open(moved.serverUrl, tenant.creds));
      expect((await jsm.streams.info("INBOX")).state.messages).toBe(0);
      await expect(connections.open(shared.url, tenant.creds)).rejects.toThrow("Authorization Violation");

      const back = await provisioner.relocate("growing", 3);
      expect(back).toMatchObject({ placement: "shared", serverUrl: shared.url });
      await connections.open(shared.url, tenant.creds);
      expect(await dedicated.get("growing")).toBeUndefined();
    } finally {
      await provisioner.deprovision("growing");
    }
  });

  it("carries every stream's messages over when it moves a tenant: backlogs, dead letters, KV state, objects", async () => {
    const tenant = await provisioner.provision({
      id: "busy",
      plan: { ...TEST_PLAN, maxStreams: 10 },
      integrationCount: 10,
      resources,
    });
    try {
      const before = await connections.open(shared.url, tenant.creds);
      const jsm = await jetstreamManager(before);
      const js = jetstream(before);
      // A work queue with a backlog: 10 published, 4 of them acknowledged (not the first 4).
      await jsm.streams.add({ name: "WORK", subjects: ["work.>"], retention: "workqueue" });
      for (let i = 0; i < 10; i++) await js.publish(`work.${i % 2}`, `job-${i}`);
      await jsm.consumers.add("WORK", { durable_name: "sink", ack_policy: AckPolicy.Explicit });
      const consumer = await js.consumers.get("WORK", "sink");
      const batch = await consumer.fetch({ max_messages: 10, expires: 2_000 });
      for await (const m of batch) if ([0, 3, 4, 8].includes(m.seq - 1)) m.ack();
      await before.flush();
      // A sparse one (read by next_by_subj rather than in batches): 3 of 12 left, far apart.
      await jsm.streams.add({ name: "SPARSE", subjects: ["sparse"], retention: "workqueue" });
      for (let i = 0; i < 12; i++) await js.publish("sparse", `s-${i}`);
      for (let seq = 2; seq <= 11; seq++) if (seq !== 6) await jsm.streams.deleteMessage("SPARSE", seq);
      // Dead letters: headers (ids, reasons) and a retention the copy keeps.
      await jsm.streams.add({ name: "DLQ", subjects: ["dlq.>"], max_age: nanos(7 * 24 * 3600_000) });
      for (let i = 0; i < 3; i++) {
        const h = headers();
        h.set("Vrsky-Error", `bad field ${i}`);
        await js.publish("dlq.orders", `dead-${i}`, { headers: h, msgID: `dead-${i}` });
      }
      // Two messages with the same id, published further apart than the stream's duplicate window.
      await jsm.streams.add({ name: "REPLAYS", subjects: ["replays"], duplicate_window: nanos(100) });
      await js.publish("replays", "first", { msgID: "same" });
      await delay(250);
      await js.publish("replays", "again", { msgID: "same" });
      // KV: history and a deleted key; an object of several chunks.
      const kv = await new Kvm(before).create("state", { history: 3 });
      await kv.put("cursor", "1");
      await kv.put("cursor", "2");
      await kv.put("gone", "x");
      await kv.delete("gone");
      const revision = (await kv.get("cursor"))?.revision ?? 0;
      await kv.update("cursor", "3", revision); // carries a Nats-Expected-Last-Subject-Sequence header
      const blob = new Uint8Array(300 * 1024).map((_, i) => i % 251);
      await (await new Objm(before).create("blobs")).putBlob({ name: "big.bin" }, blob);

      const moved = await provisioner.relocate("busy", 80);

      expect(moved).toMatchObject({ placement: "dedicated", moved: { from: "shared", to: "dedicated" } });
      expect(moved.moved?.streams).toBe(7); // INBOX, WORK, SPARSE, DLQ, REPLAYS, KV_state, OBJ_blobs
      const after = await connections.open(moved.serverUrl, tenant.creds);
      const jsmAfter = await jetstreamManager(after);
      const jsAfter = jetstream(after);
      // The backlog is exactly the 6 unacknowledged jobs, in order, handed to a new consumer.
      await jsmAfter.consumers.add("WORK", { durable_name: "sink", ack_policy: AckPolicy.Explicit });
      const jobs: string[] = [];
      for await (const m of await (await jsAfter.consumers.get("WORK", "sink")).fetch({
        max_messages: 10,
        expires: 1_000,
      })) {
        jobs.push(m.string());
        m.ack();
      }
      expect(jobs).toEqual(["job-1", "job-2", "job-5", "job-6", "job-7", "job-9"]);
      const sparse = await jsmAfter.streams.info("SPARSE");
      expect(sparse.state.messages).toBe(3);
      expect((await jsmAfter.streams.getMessage("SPARSE", { seq: 2 }))?.string()).toBe("s-5");
      const dlq = await jsmAfter.streams.info("DLQ");
      expect(dlq.config.max_age).toBe(nanos(7 * 24 * 3600_000));
      expect(dlq.state.messages).toBe(3);
      const dead = await jsmAfter.streams.getMessage("DLQ", { seq: 2 });
      expect(dead?.string()).toBe("dead-1");
      expect(dead?.header.get("Vrsky-Error")).toBe("bad field 1");
      expect(dead?.header.get("Nats-Msg-Id")).toBe("dead-1");
      expect((await jsmAfter.streams.info("REPLAYS")).state.messages).toBe(2);
      const kvAfter = await new Kvm(after).open("state");
      expect((await kvAfter.get("cursor"))?.string()).toBe("3");
      expect((await kvAfter.get("gone"))?.operation).toBe("DEL");
      const history: string[] = [];
      for await (const entry of await kvAfter.history({ key: "cursor" })) history.push(entry.string());
      expect(history).toEqual(["1", "2", "3"]);
      const objAfter = await new Objm(after).open("blobs");
      expect(await objAfter.getBlob("big.bin")).toEqual(blob);
      // WORK 6, SPARSE 3, DLQ 3, REPLAYS 2, KV 5 (cursor ×3, gone put and delete), the object 3 chunks + 1 meta.
      expect(moved.moved?.messages).toBe(6 + 3 + 3 + 2 + 5 + 4);
    } finally {
      await provisioner.deprovision("busy");
    }
  });

  it("leaves a tenant whole where it was when its move fails, and removes the half-made copy", async () => {
    const tenant = await provisioner.provision({ id: "picky", plan: TEST_PLAN, integrationCount: 10 });
    try {
      const nc = await connections.open(shared.url, tenant.creds);
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: "QUEUE", subjects: ["queue"], retention: "workqueue" });
      for (let i = 0; i < 3; i++) await jetstream(nc).publish("queue", `q-${i}`);
      await jsm.streams.add({ name: "FANOUT", subjects: ["fanout"], retention: "interest" });

      await expect(provisioner.relocate("picky", 80)).rejects.toMatchObject({
        code: "RESOURCE_FAILED",
        message: expect.stringContaining("FANOUT use interest retention"),
      });
      expect(await provisioner.tenant("picky")).toMatchObject({ placement: "shared", serverUrl: shared.url });
      expect((await jsm.streams.info("QUEUE")).state.messages).toBe(3);
      expect(await dedicated.get("picky")).toBeUndefined();
    } finally {
      await provisioner.deprovision("picky");
    }
  });

  it("keeps every tenant on the shared server when the provisioner has no dedicated servers", async () => {
    const sharedOnly = new Provisioner({ operator, shared });
    try {
      const tenant = await sharedOnly.provision({ id: "huge", plan: TEST_PLAN, integrationCount: 500 });
      expect(tenant).toMatchObject({ placement: "shared", url: shared.url });
      await sharedOnly.deprovision("huge");
    } finally {
      await sharedOnly.close();
    }
  });
});
