import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { encodeUser } from "@nats-io/jwt";
import { Kvm } from "@nats-io/kv";
import { createAccount, createUser } from "@nats-io/nkeys";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { formatCreds } from "./creds.js";
import { createOperator, type OperatorKeys } from "./operator-keys.js";
import { type OperatorNats, startOperatorNats } from "./operator-nats.js";
import { type ProvisionedTenant, Provisioner } from "./provisioner.js";
import { ProvisionerError } from "./provisioner-error.js";
import { MemoryTenantStore } from "./tenant-store.js";
import { Connections, firstMessageAfter, TEST_PLAN } from "./test-tenants.js";

let operator: OperatorKeys;
let nats: OperatorNats;
let store: MemoryTenantStore;
let provisioner: Provisioner;
const connections = new Connections();

beforeAll(async () => {
  operator = await createOperator();
  nats = await startOperatorNats({ operator });
  store = new MemoryTenantStore();
  provisioner = new Provisioner({ operator, shared: nats, store });
});

afterEach(async () => {
  await connections.closeAll();
});

afterAll(async () => {
  await provisioner?.close();
  await nats?.stop();
});

async function streamNames(tenant: ProvisionedTenant): Promise<string[]> {
  const jsm = await jetstreamManager(await connections.open(tenant.url, tenant.creds));
  const names: string[] = [];
  for await (const name of jsm.streams.names()) names.push(name);
  return names.sort();
}

describe("two tenants on one server", () => {
  let a: ProvisionedTenant;
  let b: ProvisionedTenant;

  beforeAll(async () => {
    const inbox = { name: "INBOX", subjects: ["int.*.in"] };
    a = await provisioner.provision({
      id: "tenant-a",
      plan: TEST_PLAN,
      resources: { streams: [inbox, { name: "A_ONLY", subjects: ["a.only.>"] }] },
    });
    b = await provisioner.provision({
      id: "tenant-b",
      plan: TEST_PLAN,
      resources: { streams: [inbox, { name: "B_ONLY", subjects: ["b.only.>"] }] },
    });
  });

  afterAll(async () => {
    await provisioner.deprovision("tenant-a");
    await provisioner.deprovision("tenant-b");
  });

  it("gives each tenant its own account and worker creds on the shared server", () => {
    expect(a.accountPublicKey).toMatch(/^A/);
    expect(b.accountPublicKey).not.toBe(a.accountPublicKey);
    expect(a).toMatchObject({ tenantId: "tenant-a", placement: "shared", url: nats.url });
    expect(a.creds).toContain("-----BEGIN NATS USER JWT-----");
    expect(a.creds).toContain("-----BEGIN USER NKEY SEED-----");
  });

  it("shows each tenant only its own streams", async () => {
    expect(await streamNames(a)).toEqual(["A_ONLY", "INBOX"]);
    expect(await streamNames(b)).toEqual(["B_ONLY", "INBOX"]);
  });

  it("does not deliver A's message on int.x.in to B subscribed to the same subject", async () => {
    const ncA = await connections.open(a.url, a.creds);
    const ncB = await connections.open(b.url, b.creds);
    const first = await firstMessageAfter(ncB, "int.x.in", async () => {
      ncA.publish("int.x.in", "from A");
      await ncA.flush();
    });
    expect(first).toBe("marker");
  });

  it("does not deliver B's message on int.x.in to A subscribed to the same subject", async () => {
    const ncA = await connections.open(a.url, a.creds);
    const ncB = await connections.open(b.url, b.creds);
    const first = await firstMessageAfter(ncA, "int.x.in", async () => {
      ncB.publish("int.x.in", "from B");
      await ncB.flush();
    });
    expect(first).toBe("marker");
  });

  it("delivers a tenant's message to its own subscribers (the control for the two tests above)", async () => {
    const ncA = await connections.open(a.url, a.creds);
    const ncA2 = await connections.open(a.url, a.creds);
    const first = await firstMessageAfter(ncA, "int.x.in", async () => {
      ncA2.publish("int.x.in", "from A");
      await ncA2.flush();
    });
    expect(first).toBe("from A");
  });

  it("stores a JetStream publish only in the publisher's own INBOX stream", async () => {
    const jsmA = await jetstreamManager(await connections.open(a.url, a.creds));
    const jsmB = await jetstreamManager(await connections.open(b.url, b.creds));
    const before = {
      a: (await jsmA.streams.info("INBOX")).state.messages,
      b: (await jsmB.streams.info("INBOX")).state.messages,
    };
    await jetstream(await connections.open(a.url, a.creds)).publish("int.orders.in", "order 1");
    expect((await jsmA.streams.info("INBOX")).state.messages).toBe(before.a + 1);
    expect((await jsmB.streams.info("INBOX")).state.messages).toBe(before.b);
  });

  it("keeps A from reaching B-only subjects and streams, and B from reaching A's", async () => {
    const ncA = await connections.open(a.url, a.creds);
    const ncB = await connections.open(b.url, b.creds);
    const jsmA = await jetstreamManager(ncA);
    const jsmB = await jetstreamManager(ncB);

    // Core NATS: B listens on its private subject; A publishes there.
    expect(
      await firstMessageAfter(ncB, "b.private.secret", async () => {
        ncA.publish("b.private.secret", "from A");
        await ncA.flush();
      }),
    ).toBe("marker");
    expect(
      await firstMessageAfter(ncA, "a.private.secret", async () => {
        ncB.publish("a.private.secret", "from B");
        await ncB.flush();
      }),
    ).toBe("marker");

    // JetStream: the other tenant's stream does not exist in one's own account…
    await expect(jsmA.streams.info("B_ONLY")).rejects.toThrow(/stream not found/);
    await expect(jsmB.streams.info("A_ONLY")).rejects.toThrow(/stream not found/);
    // …so a JetStream publish on its subjects finds no stream in the publisher's account (nats.js
    // reports the missing responder as "jetstream is not enabled"), and stores nothing there.
    await expect(jetstream(ncA).publish("b.only.x", "from A")).rejects.toThrow("jetstream is not enabled");
    await expect(jetstream(ncB).publish("a.only.x", "from B")).rejects.toThrow("jetstream is not enabled");
    expect((await jsmB.streams.info("B_ONLY")).state.messages).toBe(0);
    expect((await jsmA.streams.info("A_ONLY")).state.messages).toBe(0);
  });
});

describe("plan limits", () => {
  afterEach(async () => {
    for (const id of ["limited", "too-many"]) {
      if ((await provisioner.tenant(id)) !== undefined) await provisioner.deprovision(id);
    }
  });

  it("puts the plan's JetStream limits into the account, visible in account info", async () => {
    const plan = { ...TEST_PLAN, maxStreams: 2, maxConsumers: 7, maxAckPending: 100 };
    const tenant = await provisioner.provision({ id: "limited", plan });
    const jsm = await jetstreamManager(await connections.open(tenant.url, tenant.creds));
    const info = await jsm.getAccountInfo();
    expect(info.limits).toMatchObject({
      max_memory: plan.maxMemoryBytes,
      max_storage: plan.maxStorageBytes,
      max_streams: 2,
      max_consumers: 7,
      max_ack_pending: 100,
    });
  });

  it("refuses a stream over maxStreams with the server's clear error", async () => {
    const tenant = await provisioner.provision({ id: "limited", plan: { ...TEST_PLAN, maxStreams: 2 } });
    const jsm = await jetstreamManager(await connections.open(tenant.url, tenant.creds));
    await jsm.streams.add({ name: "S1", subjects: ["s1"] });
    await jsm.streams.add({ name: "S2", subjects: ["s2"] });
    await expect(jsm.streams.add({ name: "S3", subjects: ["s3"] })).rejects.toThrow(
      "maximum number of streams reached",
    );
  });

  it("refuses a connection over maxConnections plus room for JetStream's internal clients", async () => {
    const plan = { ...TEST_PLAN, maxConnections: 1, maxStreams: 1, maxConsumers: 1 };
    const tenant = await provisioner.provision({ id: "limited", plan });
    // 1 + 2 × (1 stream + 1 consumer): the room nats-server's internal clients need.
    for (let i = 0; i < 5; i++) await connections.open(tenant.url, tenant.creds);
    await expect(connections.open(tenant.url, tenant.creds)).rejects.toThrow();
  });

  it("keeps every stream working when the account JWT changes while the account is busy", async () => {
    // More streams and consumers than user connections: nats-server counts their internal
    // clients when it applies an updated JWT, and would close those over a bare connection limit.
    const plan = { ...TEST_PLAN, maxConnections: 2, maxStreams: 5, maxConsumers: 5 };
    const tenant = await provisioner.provision({ id: "limited", plan });
    const nc = await connections.open(tenant.url, tenant.creds);
    const jsm = await jetstreamManager(nc);
    for (let i = 0; i < 5; i++) {
      await jsm.streams.add({ name: `S${i}`, subjects: [`s${i}`] });
      await jsm.consumers.add(`S${i}`, { durable_name: "c", ack_policy: AckPolicy.Explicit });
    }
    const rotated = await provisioner.rotateUserCreds("limited"); // pushes an updated account JWT
    const js = jetstream(await connections.open(rotated.url, rotated.creds));
    const answered: string[] = [];
    for (let i = 0; i < 5; i++) {
      const ack = js.publish(`s${i}`, "after the update", { timeout: 2_000 });
      answered.push(
        await ack.then(
          (a) => a.stream,
          (error: Error) => `S${i}: ${error.message}`,
        ),
      );
    }
    expect(answered).toEqual(["S0", "S1", "S2", "S3", "S4"]);
  });

  it("raises the limits in place with updatePlan", async () => {
    const tenant = await provisioner.provision({ id: "limited", plan: { ...TEST_PLAN, maxStreams: 1 } });
    const jsm = await jetstreamManager(await connections.open(tenant.url, tenant.creds));
    await jsm.streams.add({ name: "S1", subjects: ["s1"] });
    await provisioner.updatePlan("limited", { ...TEST_PLAN, maxStreams: 2 });
    await expect.poll(async () => (await jsm.getAccountInfo()).limits.max_streams).toBe(2);
    await jsm.streams.add({ name: "S2", subjects: ["s2"] });
  });

  it("rolls the whole tenant back when its baseline resources exceed the plan", async () => {
    const streams = ["X1", "X2", "X3"].map((name) => ({ name, subjects: [name.toLowerCase()] }));
    const attempt = provisioner.provision({
      id: "too-many",
      plan: { ...TEST_PLAN, maxStreams: 2 },
      resources: { streams },
    });
    await expect(attempt).rejects.toMatchObject({
      code: "RESOURCE_FAILED",
      message: expect.stringContaining('create stream "X3" for tenant "too-many"'),
    });
    expect(await provisioner.tenant("too-many")).toBeUndefined();
  });
});

describe("JetStream capacity of a standalone server", () => {
  it("refuses a tenant whose plan no longer fits, explains why, and accepts it once space is freed", async () => {
    const small = await startOperatorNats({ operator, maxStorageBytes: 3 * TEST_PLAN.maxStorageBytes - 1 });
    const tight = new Provisioner({ operator, shared: small });
    try {
      await tight.provision({ id: "first", plan: TEST_PLAN });
      await tight.provision({ id: "second", plan: TEST_PLAN });

      const refused = tight.provision({ id: "third", plan: TEST_PLAN });
      await expect(refused).rejects.toMatchObject({
        code: "JETSTREAM_UNAVAILABLE",
        message: expect.stringContaining('cannot take tenant "third"'),
      });
      await expect(refused).rejects.toThrow("2 other tenants here reserve 16 MiB and 128 MiB");
      expect(await tight.tenant("third")).toBeUndefined();
      // The same check guards plan upgrades, which nats-server would otherwise ignore silently.
      await expect(
        tight.updatePlan("second", { ...TEST_PLAN, maxStorageBytes: 2 * TEST_PLAN.maxStorageBytes }),
      ).rejects.toMatchObject({ code: "JETSTREAM_UNAVAILABLE" });
      expect((await tight.tenant("second"))?.plan.maxStorageBytes).toBe(TEST_PLAN.maxStorageBytes);

      await tight.deprovision("first");
      const third = await tight.provision({ id: "third", plan: TEST_PLAN });
      const jsm = await jetstreamManager(await connections.open(third.url, third.creds));
      expect((await jsm.getAccountInfo()).limits.max_storage).toBe(TEST_PLAN.maxStorageBytes);

      // A provisioner whose store does not know the other tenants passes its own check; the
      // server's refusal is then caught after the push, and the tenant rolled back.
      const blind = new Provisioner({ operator, shared: small });
      try {
        await expect(blind.provision({ id: "fourth", plan: TEST_PLAN })).rejects.toMatchObject({
          code: "JETSTREAM_UNAVAILABLE",
          message: expect.stringContaining('did not enable JetStream for tenant "fourth"'),
        });
        expect(await blind.tenant("fourth")).toBeUndefined();
      } finally {
        await blind.close();
      }
    } finally {
      await tight.close();
      await small.stop();
    }
  });
});

describe("deprovision", () => {
  it("deletes the account's streams, KV buckets and object stores, then its creds stop working; B is unaffected", async () => {
    const a = await provisioner.provision({
      id: "leaving",
      plan: TEST_PLAN,
      resources: {
        streams: [{ name: "INBOX", subjects: ["int.*.in"] }],
        kvBuckets: [{ bucket: "state" }],
        objectStores: [{ bucket: "files" }],
      },
    });
    const b = await provisioner.provision({
      id: "staying",
      plan: TEST_PLAN,
      resources: { streams: [{ name: "INBOX", subjects: ["int.*.in"] }] },
    });
    try {
      const ncA = await connections.open(a.url, a.creds);
      await new Kvm(ncA).create("cache");
      const closed = ncA.closed();

      const result = await provisioner.deprovision("leaving");

      expect(result).toEqual({
        tenantId: "leaving",
        accountPublicKey: a.accountPublicKey,
        streams: 1,
        kvBuckets: 2,
        objectStores: 1,
        usersRevoked: 1,
      });
      // The open connection is closed by the server as the user is revoked…
      expect(String(await closed)).toMatch(/Revoked|Expired/);
      // …and new connections with A's creds are refused.
      await expect(connections.open(a.url, a.creds)).rejects.toThrow("Authorization Violation");
      expect(await provisioner.tenant("leaving")).toBeUndefined();

      const ncB = await connections.open(b.url, b.creds);
      await jetstream(ncB).publish("int.x.in", "still here");
      expect((await (await jetstreamManager(ncB)).streams.info("INBOX")).state.messages).toBe(1);
    } finally {
      await provisioner.deprovision("staying");
    }
  });

  it("reports an unknown tenant as TENANT_NOT_FOUND", async () => {
    await expect(provisioner.deprovision("never-there")).rejects.toMatchObject({
      name: "ProvisionerError",
      code: "TENANT_NOT_FOUND",
    });
  });

  it("lets a tenant id be provisioned again after deprovisioning, with a new account", async () => {
    const first = await provisioner.provision({ id: "again", plan: TEST_PLAN });
    await provisioner.deprovision("again");
    const second = await provisioner.provision({ id: "again", plan: TEST_PLAN });
    try {
      expect(second.accountPublicKey).not.toBe(first.accountPublicKey);
      await connections.open(second.url, second.creds);
      await expect(connections.open(first.url, first.creds)).rejects.toThrow("Authorization Violation");
    } finally {
      await provisioner.deprovision("again");
    }
  });
});

describe("credentials", () => {
  it("rejects creds of an account the server was never given", async () => {
    const account = createAccount();
    const user = createUser();
    const creds = formatCreds(await encodeUser("stranger", user, account), user);
    await expect(connections.open(nats.url, creds)).rejects.toThrow("Authorization Violation");
  });

  it("rejects creds from another operator's account with the same tenant id", async () => {
    const other = await createOperator();
    const otherNats = await startOperatorNats({ operator: other });
    const otherProvisioner = new Provisioner({ operator: other, shared: otherNats });
    try {
      const foreign = await otherProvisioner.provision({ id: "tenant-x", plan: TEST_PLAN });
      await expect(connections.open(nats.url, foreign.creds)).rejects.toThrow("Authorization Violation");
    } finally {
      await otherProvisioner.close();
      await otherNats.stop();
    }
  });

  it("rejects a file that is not creds at all", async () => {
    await expect(connections.open(nats.url, "not a creds file")).rejects.toThrow();
  });

  it("revokes the old worker creds on rotation and accepts the new ones", async () => {
    const tenant = await provisioner.provision({ id: "rotating", plan: TEST_PLAN });
    try {
      const old = await connections.open(tenant.url, tenant.creds);
      const closed = old.closed();
      const rotated = await provisioner.rotateUserCreds("rotating");

      expect(rotated.userPublicKey).not.toBe(tenant.userPublicKey);
      expect(String(await closed)).toMatch(/Revoked/);
      await expect(connections.open(tenant.url, tenant.creds)).rejects.toThrow("Authorization Violation");
      await connections.open(rotated.url, rotated.creds);
      expect((await provisioner.tenant("rotating"))?.users.map((user) => user.publicKey)).toEqual([
        rotated.userPublicKey,
      ]);
    } finally {
      await provisioner.deprovision("rotating");
    }
  });
});

describe("input and records", () => {
  it("lists every problem of an invalid tenant at once", async () => {
    const attempt = provisioner.provision({
      id: "Not A Valid Id",
      plan: { ...TEST_PLAN, maxStreams: -5, maxConnections: 1.5 },
    });
    const error = await attempt.then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(ProvisionerError);
    expect(error).toMatchObject({ code: "TENANT_INVALID", isUserError: true });
    const message = error instanceof Error ? error.message : "";
    expect(message).toContain("- id:");
    expect(message).toContain("- plan.maxStreams:");
    expect(message).toContain("- plan.maxConnections:");
  });

  it("refuses to provision the same tenant twice", async () => {
    await provisioner.provision({ id: "twice", plan: TEST_PLAN });
    try {
      await expect(provisioner.provision({ id: "twice", plan: TEST_PLAN })).rejects.toMatchObject({
        code: "TENANT_EXISTS",
      });
    } finally {
      await provisioner.deprovision("twice");
    }
  });

  it("keeps the signing seed in the store but out of tenant() and of every error", async () => {
    const tenant = await provisioner.provision({ id: "secretive", plan: TEST_PLAN });
    try {
      const stored = await store.get("secretive");
      expect(stored?.signingKeySeed).toMatch(/^SA/);
      const info = await provisioner.tenant("secretive");
      expect(JSON.stringify(info)).not.toContain(stored?.signingKeySeed);
      expect(info).toMatchObject({ accountPublicKey: tenant.accountPublicKey, placement: "shared" });
      const error = await provisioner.provision({ id: "secretive", plan: TEST_PLAN }).then(
        () => undefined,
        (rejection: unknown) => rejection,
      );
      expect(String(error)).not.toMatch(/(?<![A-Z2-7])S[OAU][A-Z2-7]{50,}/);
    } finally {
      await provisioner.deprovision("secretive");
    }
  });
});
