import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ErrorCode } from "../errors.js";
import { collectBytes } from "../message.js";
import { MemoryBlobStore } from "./memory-blob-store.js";

const bytes = (text: string) => new TextEncoder().encode(text);
async function* chunks(...parts: string[]) {
  for (const part of parts) yield bytes(part);
}

describe("MemoryBlobStore", () => {
  it("stores a streamed body and returns a reference with its size, sha256 and expiry", async () => {
    const now = new Date("2030-01-01T00:00:00.000Z");
    const blobs = new MemoryBlobStore({ now: () => now });
    const ref = await blobs.put("k1", chunks("hel", "lo"), { ttlMs: 60_000, contentType: "text/plain" });
    expect(ref).toEqual({
      store: "memory",
      key: "k1",
      size: 5,
      sha256: createHash("sha256").update("hello").digest("hex"),
      expiresAt: "2030-01-01T00:01:00.000Z",
    });
    expect(new TextDecoder().decode(await collectBytes(blobs.get(ref)))).toBe("hello");
    expect(blobs.keys()).toEqual(["k1"]);
  });

  it("keeps its own copy of a body given as bytes", async () => {
    const blobs = new MemoryBlobStore();
    const body = bytes("abc");
    const ref = await blobs.put("k", body, { ttlMs: 1000 });
    body[0] = 0x7a;
    expect(new TextDecoder().decode(await collectBytes(blobs.get(ref)))).toBe("abc");
  });

  it("fails with BLOB_NOT_FOUND once a blob expires or is deleted", async () => {
    let now = new Date("2030-01-01T00:00:00.000Z");
    const blobs = new MemoryBlobStore({ now: () => now });
    const ref = await blobs.put("k", bytes("x"), { ttlMs: 1000 });
    now = new Date(now.getTime() + 1000);
    await expect(collectBytes(blobs.get(ref))).rejects.toMatchObject({
      code: ErrorCode.BlobNotFound,
      message: expect.stringMatching(/expired at 2030-01-01T00:00:01.000Z/),
    });
    await blobs.delete(ref);
    await blobs.delete(ref);
    await expect(collectBytes(blobs.get(ref))).rejects.toMatchObject({ code: ErrorCode.BlobNotFound });
  });

  it("fails with BLOB_CHECKSUM_MISMATCH when the stored bytes no longer match", async () => {
    const blobs = new MemoryBlobStore();
    const ref = await blobs.put("k", bytes("original"), { ttlMs: 1000 });
    blobs.tamper("k", bytes("tampered"));
    await expect(collectBytes(blobs.get(ref))).rejects.toMatchObject({
      code: ErrorCode.BlobChecksumMismatch,
    });
  });

  it("rejects a TTL that is not positive and stops on an aborted signal", async () => {
    const blobs = new MemoryBlobStore();
    await expect(blobs.put("k", bytes("x"), { ttlMs: 0 })).rejects.toThrow(RangeError);
    const signal = AbortSignal.abort(new Error("stopping"));
    await expect(blobs.put("k", bytes("x"), { ttlMs: 1, signal })).rejects.toThrow("stopping");
    expect(blobs.keys()).toEqual([]);
  });
});
