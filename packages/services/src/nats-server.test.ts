import { existsSync } from "node:fs";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { describe, expect, it } from "vitest";
import { startNatsServer } from "./nats-server.js";
import { ServiceUnavailableError } from "./service-unavailable-error.js";

describe("startNatsServer", () => {
  it("starts a JetStream server that publishes and consumes a message", async () => {
    const nats = await startNatsServer();
    try {
      expect(nats.url).toBe(`nats://127.0.0.1:${nats.port}`);
      const nc = await connect({ servers: nats.url });
      try {
        const jsm = await jetstreamManager(nc);
        await jsm.streams.add({ name: "orders", subjects: ["orders.>"] });
        const js = jetstream(nc);
        await js.publish("orders.created", "order-1");
        await jsm.consumers.add("orders", { durable_name: "reader" });
        const consumer = await js.consumers.get("orders", "reader");
        const msg = await consumer.next({ expires: 5_000 });
        expect(msg?.string()).toBe("order-1");
        msg?.ack();
      } finally {
        await nc.close();
      }
    } finally {
      await nats.stop();
    }
  });

  it("keeps a stream's messages, port and store dir across a crash and restart", async () => {
    const nats = await startNatsServer();
    try {
      const { port, storeDir } = nats;
      const before = await connect({ servers: nats.url });
      const jsm = await jetstreamManager(before);
      await jsm.streams.add({ name: "events", subjects: ["events"] });
      await jetstream(before).publish("events", "one");
      await before.close();

      await nats.kill();
      expect(nats.pid).toBeUndefined();
      await nats.restart();
      expect(nats.port).toBe(port);
      expect(nats.storeDir).toBe(storeDir);

      const after = await connect({ servers: nats.url });
      try {
        const info = await (await jetstreamManager(after)).streams.info("events");
        expect(info.state.messages).toBe(1);
      } finally {
        await after.close();
      }
    } finally {
      await nats.stop();
    }
  });

  it("kills the process and removes the temp store dir on stop, and stop is idempotent", async () => {
    const nats = await startNatsServer();
    const pid = nats.pid;
    expect(pid).toBeTypeOf("number");
    expect(existsSync(nats.storeDir)).toBe(true);
    await nats.stop();
    await nats.stop();
    expect(existsSync(nats.storeDir)).toBe(false);
    expect(() => process.kill(pid ?? 0, 0)).toThrow(/ESRCH/);
  });

  it("fails with an install hint when the nats-server binary is missing", async () => {
    const error = await startNatsServer({ natsServerPath: "/nonexistent/nats-server" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ service: "nats", code: "SERVICE_UNAVAILABLE" });
    expect(String(error)).toMatch(/nats-server not found \(\/nonexistent\/nats-server\)/);
    expect(String(error)).toMatch(/apt-get install nats-server.*VRSKY_NATS_URL/);
  });
});
