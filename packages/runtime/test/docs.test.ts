import { readFileSync } from "node:fs";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { describe, expect, it } from "vitest";
import { deleteTopology } from "../src/index.js";
import { runSpec } from "./__fixtures__/docs/run-spec.js";
import {
  deliveredIds,
  fieldRouter,
  push,
  pushSource,
  recordingSink,
  upperConverter,
} from "./__fixtures__/test-connectors.js";
import { connectNats } from "./harness.js";

const root = join(import.meta.dirname, "../../..");
const fixtures = join(import.meta.dirname, "__fixtures__/docs");

/** The fenced blocks of a doc placed after `<!-- example: <path> -->` markers. */
function examples(doc: string): { path: string; code: string }[] {
  const text = readFileSync(join(root, doc), "utf8");
  return [...text.matchAll(/<!-- example: (\S+) -->\n```\w+\n([\s\S]*?)```/g)].map((m) => ({
    path: m[1] as string,
    code: m[2] as string,
  }));
}

describe("docs/runtime.md", () => {
  it("shows the example files byte for byte", () => {
    const found = examples("docs/runtime.md");
    expect(found.map((e) => e.path)).toEqual([
      "packages/runtime/test/__fixtures__/docs/orders.yaml",
      "packages/runtime/test/__fixtures__/docs/run-spec.ts",
    ]);
    for (const { path, code } of found) expect(code).toBe(readFileSync(join(root, path), "utf8"));
  });

  it("runs the documented spec with the documented code: routes, retries and delivery", async () => {
    const nc = await connectNats();
    const { runner, stopOnSignals } = await runSpec(join(fixtures, "orders.yaml"), nc, [
      pushSource,
      upperConverter,
      fieldRouter,
      recordingSink,
    ]);
    try {
      await push("docs-orders", { json: { text: "big order", route: "urgent" }, key: "o-1" });
      await push("docs-orders", { json: { text: "small order" }, key: "o-2" });
      await expect
        .poll(() => deliveredIds("docs-orders", "db"), { timeout: 15_000 })
        .toEqual(new Set(["o-1", "o-2"]));
      await expect
        .poll(() => deliveredIds("docs-orders", "alerts"), { timeout: 15_000 })
        .toEqual(new Set(["o-1"]));
      expect(runner.integration.sinks.alerts?.retry.attempts).toBe(5);
    } finally {
      stopOnSignals();
      await runner.stop();
      await deleteTopology(await jetstreamManager(nc), "docs-orders");
      await nc.close();
    }
  });
});
