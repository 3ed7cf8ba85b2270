import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { encodeUser } from "@nats-io/jwt";
import { createAccount, createUser } from "@nats-io/nkeys";
import { connect } from "@nats-io/transport-node";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { tenantAccountClaims } from "./account-claims.js";
import { formatCreds } from "./creds.js";
import { createOperator, type OperatorKeys } from "./operator-keys.js";
import { startOperatorNats } from "./operator-nats.js";
import { Provisioner } from "./provisioner.js";
import { TenantPlan } from "./tenant-spec.js";
import { Connections, TEST_PLAN } from "./test-tenants.js";

let operator: OperatorKeys;
const connections = new Connections();

beforeAll(async () => {
  operator = await createOperator();
});

afterEach(async () => {
  await connections.closeAll();
});

describe("startOperatorNats", () => {
  it("serves the system user, refuses anonymous clients, and removes its temp dir on stop", async () => {
    const nats = await startOperatorNats({ operator });
    try {
      expect(nats.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
      expect(nats.pid).toBeGreaterThan(0);
      const system = await nats.connectSystem();
      await system.close();
      await expect(connect({ servers: nats.url, reconnect: false })).rejects.toThrow(
        "Authorization Violation",
      );
    } finally {
      await nats.stop();
    }
    expect(nats.pid).toBeUndefined();
    await expect(access(nats.dir)).rejects.toThrow();
    await nats.stop();
  });

  it("starts with a preloaded account whose users connect without any push", async () => {
    const account = createAccount();
    const signing = createAccount();
    const accountJwt = await operator.encodeAccount(
      "preloaded",
      account.getPublicKey(),
      tenantAccountClaims(TenantPlan.parse(TEST_PLAN), signing.getPublicKey()),
    );
    const nats = await startOperatorNats({ operator, preload: { [account.getPublicKey()]: accountJwt } });
    try {
      const user = createUser();
      const jwt = await encodeUser("worker", user, account.getPublicKey(), {}, { signer: signing });
      const jsm = await jetstreamManager(await connections.open(nats.url, formatCreds(jwt, user)));
      expect((await jsm.getAccountInfo()).limits.max_streams).toBe(TEST_PLAN.maxStreams);
    } finally {
      await nats.stop();
    }
  });

  it("keeps accounts pushed to a server across a restart on the same dir", async () => {
    const dir = await mkdtemp(join(tmpdir(), "vrsky-operator-nats-"));
    try {
      const first = await startOperatorNats({ operator, dir });
      const provisioner = new Provisioner({ operator, shared: first });
      const tenant = await provisioner.provision({ id: "durable", plan: TEST_PLAN });
      await provisioner.close();
      await first.stop();

      const second = await startOperatorNats({ operator, dir });
      try {
        await connections.open(second.url, tenant.creds);
      } finally {
        await connections.closeAll();
        await second.stop();
      }
      await access(join(dir, "nats.conf"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("says what nats-server reported when it cannot start", async () => {
    const attempt = startOperatorNats({ operator, natsServerPath: "/nonexistent/nats-server" });
    await expect(attempt).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE", service: "nats" });
  });
});
