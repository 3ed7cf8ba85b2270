import { readFile } from "node:fs/promises";
import { MemoryStateStore, runConsumer } from "@vrsky/sdk/testing";
import { describeConformance } from "@vrsky/sdk/testing/vitest";
import { describe, expect, it } from "vitest";
import connector from "./index.js";

const config: unknown = JSON.parse(
  await readFile(new URL("./__fixtures__/config.json", import.meta.url), "utf8"),
);

describe("{{name}}", () => {
  it("emits numbered messages until count and ends", async () => {
    const run = await runConsumer(connector, config);
    expect(run.ended).toBe("exhausted");
    expect(await Promise.all(run.messages.map((m) => m.json()))).toMatchObject([
      { n: 0 },
      { n: 1 },
      { n: 2 },
    ]);
    expect(run.checkpoint).toBe(3);
  });

  it("resumes after the last accepted message when restarted", async () => {
    const state = new MemoryStateStore();
    const first = await runConsumer(connector, config, { state, accept: (_message, index) => index < 2 });
    expect(first.ended).toBe("rejected");
    const second = await runConsumer(connector, config, { state });
    expect(await Promise.all(second.messages.map((m) => m.json()))).toMatchObject([{ n: 2 }]);
  });
});

describeConformance(connector, {
  config: { intervalMs: 0 },
  invalidConfigs: [{ config: { intervalMs: -1 }, reason: "intervalMs is not negative" }],
  messages: 4,
});
