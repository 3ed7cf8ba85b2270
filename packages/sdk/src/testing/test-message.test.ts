import { describe, expect, it } from "vitest";
import { isTraceparent } from "../trace.js";
import { MemoryBlobStore } from "./memory-blob-store.js";
import { createTestMessage } from "./test-message.js";

describe("createTestMessage", () => {
  it("fills the envelope with test defaults and derives the content type", async () => {
    const msg = await createTestMessage({ json: { a: 1 }, headers: { "x-k": "v" } });
    expect(msg.meta).toMatchObject({
      tenant: "test-tenant",
      integration: "test-integration",
      source: "test-source",
      attempt: 1,
      contentType: "application/json",
      headers: { "x-k": "v" },
    });
    expect(msg.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(isTraceparent(msg.meta.traceparent ?? "")).toBe(true);
    expect(await msg.json()).toEqual({ a: 1 });
  });

  it("pins the fields a test gives", async () => {
    const msg = await createTestMessage({
      body: "x",
      id: "m1",
      tenant: "acme",
      attempt: 3,
      createdAt: new Date("2030-01-01T00:00:00Z"),
    });
    expect(msg.meta).toMatchObject({
      id: "m1",
      tenant: "acme",
      attempt: 3,
      createdAt: "2030-01-01T00:00:00.000Z",
    });
  });

  it("puts the body behind a claim check when asked", async () => {
    const blobs = new MemoryBlobStore();
    async function* stream() {
      yield new TextEncoder().encode("big ");
      yield new TextEncoder().encode("body");
    }
    const msg = await createTestMessage({ id: "m2", body: stream(), reference: true }, blobs);
    expect(msg.isReference).toBe(true);
    expect(msg.body).toMatchObject({ type: "ref", ref: { store: "memory", key: "m2", size: 8 } });
    expect(blobs.keys()).toEqual(["m2"]);
    expect(await msg.text()).toBe("big body");
  });
});
