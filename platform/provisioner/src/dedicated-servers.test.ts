import { jetstreamManager } from "@nats-io/jetstream";
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
