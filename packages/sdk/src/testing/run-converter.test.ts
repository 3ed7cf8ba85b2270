import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineConverter } from "../connector.js";
import { FatalError } from "../errors.js";
import { MemoryBlobStore } from "./memory-blob-store.js";
import { runConverter } from "./run-converter.js";
import { createTestMessage } from "./test-message.js";

const split = defineConverter({
  name: "split-lines",
  version: "1.0.0",
  description: "One message per line.",
  config: z.object({ upper: z.boolean().default(false) }),
  async convert(msg, ctx) {
    const lines = (await msg.text()).split("\n").filter(Boolean);
    return lines.map((line) => ({
      body: ctx.config.upper ? line.toUpperCase() : line,
      headers: { "x-line": line },
    }));
  },
});

describe("runConverter", () => {
  it("derives output ids from the input id and inherits its metadata and headers", async () => {
    const input = await createTestMessage({
      id: "in-1",
      body: "a\nb",
      headers: { "x-src": "s" },
      attempt: 2,
    });
    const outputs = await runConverter(split, { upper: true }, input);
    expect(outputs.map((m) => m.id)).toEqual(["in-1:0", "in-1:1"]);
    expect(await Promise.all(outputs.map((m) => m.text()))).toEqual(["A", "B"]);
    expect(outputs[1]?.meta).toMatchObject({
      attempt: 2,
      createdAt: input.meta.createdAt,
      headers: { "x-src": "s", "x-line": "b" },
      contentType: "text/plain; charset=utf-8",
    });
    expect(outputs[0]?.meta.traceparent?.slice(0, 36)).toBe(input.meta.traceparent?.slice(0, 36));
  });

  it("keeps the input id for a single output and concatenates the outputs of several inputs in order", async () => {
    const outputs = await runConverter(split, {}, [
      { id: "x", body: "one" },
      { id: "y", body: "" },
      { id: "z", body: "two\nthree" },
    ]);
    expect(outputs.map((m) => m.id)).toEqual(["x", "z:0", "z:1"]);
  });

  it("moves large output bodies behind a claim check, as the runtime does", async () => {
    const blobs = new MemoryBlobStore();
    const [out] = await runConverter(split, {}, { body: "x".repeat(64) }, { blobs, referenceThreshold: 16 });
    expect(out?.isReference).toBe(true);
    expect(await out?.text()).toBe("x".repeat(64));
  });

  it("rejects an output that is not a message", async () => {
    const broken = defineConverter({
      name: "broken",
      version: "1.0.0",
      description: "Returns a number.",
      config: z.object({}),
      convert: () => 42 as never,
    });
    await expect(runConverter(broken, {}, { body: "x" })).rejects.toThrow(FatalError);
    await expect(runConverter(broken, {}, { body: "x" })).rejects.toThrow(/returned a number as output 0/);
  });
});
