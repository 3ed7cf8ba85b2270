import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineProducer } from "../connector.js";
import { ConfigError } from "../errors.js";
import { MemoryStateStore } from "./memory-state-store.js";
import { createTestContext } from "./test-context.js";

function sinkWith(events: string[]) {
  return defineProducer({
    name: "probe",
    version: "2.0.0",
    description: "Records its lifecycle.",
    config: z.object({ greeting: z.string().default("hi") }),
    init(ctx) {
      events.push(`init ${ctx.config.greeting}`);
      ctx.logger.info({ step: ctx.info.step }, "opened");
      ctx.metrics.increment("opened");
      return { pool: "p" };
    },
    close(ctx) {
      events.push(`close ${ctx.resources.pool} aborted=${ctx.signal.aborted}`);
    },
    async deliver() {},
  });
}

describe("createTestContext", () => {
  it("parses the config, runs init and captures logs and metrics", async () => {
    const events: string[] = [];
    const state = new MemoryStateStore();
    const handle = await createTestContext(sinkWith(events), { config: {}, state, info: { tenant: "acme" } });
    expect(events).toEqual(["init hi"]);
    expect(handle.ctx.resources).toEqual({ pool: "p" });
    expect(handle.ctx.state).toBe(state);
    expect(handle.ctx.info).toEqual({
      tenant: "acme",
      integration: "test-integration",
      step: "probe",
      connector: "probe",
      version: "2.0.0",
    });
    expect(handle.logs).toEqual([
      expect.objectContaining({
        level: "info",
        msg: "opened",
        tenant: "acme",
        connector: "probe",
        step: "probe",
      }),
    ]);
    expect(handle.metrics).toEqual([{ type: "counter", name: "opened", value: 1, labels: {} }]);
    await handle.close();
  });

  it("aborts the signal and runs close exactly once", async () => {
    const events: string[] = [];
    const handle = await createTestContext(sinkWith(events), { config: { greeting: "yo" } });
    await Promise.all([handle.close(), handle.close()]);
    await handle.close();
    expect(events).toEqual(["init yo", "close p aborted=true"]);
  });

  it("aborts ctx.signal when the caller's signal aborts", async () => {
    const controller = new AbortController();
    const handle = await createTestContext(sinkWith([]), { config: {}, signal: controller.signal });
    expect(handle.ctx.signal.aborted).toBe(false);
    controller.abort();
    expect(handle.ctx.signal.aborted).toBe(true);
    await handle.close();
  });

  it("rejects an invalid config with a ConfigError before init runs", async () => {
    const events: string[] = [];
    const error = await createTestContext(sinkWith(events), { config: { greeting: 5 } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/in the config of producer "probe"[\s\S]*greeting/);
    expect(events).toEqual([]);
  });
});
