import { createHash } from "node:crypto";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import type { NatsConnection } from "@nats-io/transport-node";
import { type BlobRef, ErrorCode, FatalError } from "@vrsky/sdk";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { openBlobReader } from "./blob-reader.js";
import { BlobReleaser } from "./blob-releaser.js";
import { BlobSweeper } from "./blob-sweeper.js";
import {
  type BlobBackend,
  connectTestNats,
  deleteStreamIfExists,
  generatedPayload,
  jetStreamBackend,
  readAll,
  type StoreUnderTest,
  s3Backend,
  uniqueBucket,
} from "./blob-test-backends.js";
import { storeBody } from "./store-body.js";

const MINUTE = 60_000;

// A full collection on demand, without starting Node with --expose-gc.
v8.setFlagsFromString("--expose-gc");
const collectGarbage = z.function().parse(runInNewContext("gc"));
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

async function* chunksOf(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield text(part);
}

/** Resident memory, and the JS heap plus buffers actually in use. */
function liveMemory(): { rss: number; live: number } {
  const usage = process.memoryUsage();
  return { rss: usage.rss, live: usage.heapUsed + usage.arrayBuffers };
}

async function readError(stream: AsyncIterable<Uint8Array>): Promise<unknown> {
  try {
    await readAll(stream);
  } catch (error) {
    return error;
  }
  throw new Error("expected the read to fail");
}

describe.each<BlobBackend>([jetStreamBackend(), s3Backend()])("the $name blob store", (backend) => {
  let nc: NatsConnection;
  let sut: StoreUnderTest;

  beforeAll(async () => {
    await backend.setup();
    nc = await connectTestNats();
  });
  afterAll(async () => {
    await nc?.close();
    await backend.teardown();
  });
  beforeEach(async () => {
    sut = await backend.openStore();
  });
  afterEach(async () => {
    await sut.destroy();
  });

  it("round-trips bytes and streams, recording size, sha256 and expiry", async () => {
    const before = Date.now();
    const ref = await sut.store.put("small", text("hello"), { ttlMs: MINUTE, contentType: "text/plain" });
    expect(ref).toMatchObject({ store: sut.store.name, key: "small", size: 5 });
    expect(ref.sha256).toBe(createHash("sha256").update("hello").digest("hex"));
    expect(Date.parse(ref.expiresAt)).toBeGreaterThanOrEqual(before + MINUTE);
    expect((await readAll(sut.store.get(ref))).toString()).toBe("hello");

    const streamed = await sut.store.put("streamed", chunksOf("a", "bc", "", "def"), { ttlMs: MINUTE });
    expect(streamed.size).toBe(6);
    expect((await readAll(sut.store.get(streamed))).toString()).toBe("abcdef");

    const empty = await sut.store.put("empty", new Uint8Array(0), { ttlMs: MINUTE });
    expect((await readAll(sut.store.get(empty))).byteLength).toBe(0);
  });

  it("keeps a body at the threshold inline and sends one byte more by reference", async () => {
    const threshold = 1024;
    const options = { thresholdBytes: threshold, ttlMs: MINUTE, store: sut.store };
    const atThreshold = new Uint8Array(threshold).fill(7);
    const over = new Uint8Array(threshold + 1).fill(9);

    const inlineBytes = await storeBody(atThreshold, { ...options, key: "at" });
    const inlineStream = await storeBody(generatedPayload(threshold, 100), { ...options, key: "at-stream" });
    expect(inlineBytes).toEqual({ type: "inline", bytes: atThreshold });
    expect(inlineStream.type).toBe("inline");
    expect(inlineStream.type === "inline" && inlineStream.bytes.byteLength).toBe(threshold);

    const refBytes = await storeBody(over, { ...options, key: "over" });
    const refStream = await storeBody(
      {
        type: "stream",
        stream: generatedPayload(threshold + 1, 100),
        contentType: "application/octet-stream",
      },
      { ...options, key: "over-stream" },
    );
    const reader = openBlobReader([sut.store]);
    if (refBytes.type !== "ref" || refStream.type !== "ref") throw new Error("expected references");
    expect(await readAll(reader.get(refBytes.ref))).toEqual(Buffer.from(over));
    expect((await readAll(reader.get(refStream.ref))).byteLength).toBe(threshold + 1);
    expect(refStream.ref.size).toBe(threshold + 1);
  });

  it("streams a 64 MiB body through put and get with bounded memory", async () => {
    const size = 64 * 1024 * 1024;
    const expected = createHash("sha256");
    // Sample the memory still in use, not garbage V8 has yet to collect (it collects external
    // buffers only every few tens of MiB): collect first, every 8 MiB streamed.
    collectGarbage();
    const baseline = liveMemory();
    const peak = { rss: 0, live: 0 };
    let streamed = 0;
    const sample = (bytes: number): void => {
      streamed += bytes;
      if (streamed % (8 * 1024 * 1024) !== 0) return;
      collectGarbage();
      const now = liveMemory();
      peak.rss = Math.max(peak.rss, now.rss - baseline.rss);
      peak.live = Math.max(peak.live, now.live - baseline.live);
    };
    async function* source(): AsyncGenerator<Uint8Array> {
      for await (const chunk of generatedPayload(size)) {
        expected.update(chunk);
        sample(chunk.byteLength);
        yield chunk;
      }
    }

    const ref = await sut.store.put("large", source(), { ttlMs: MINUTE });
    const actual = createHash("sha256");
    let read = 0;
    for await (const chunk of sut.store.get(ref)) {
      actual.update(chunk);
      read += chunk.byteLength;
      sample(chunk.byteLength);
    }

    expect(ref.size).toBe(size);
    expect(read).toBe(size);
    expect(actual.digest("hex")).toBe(ref.sha256);
    expect(ref.sha256).toBe(expected.digest("hex"));
    // A store that buffered the body would hold all 64 MiB at once.
    expect(peak.live).toBeLessThan(40 * 1024 * 1024);
    expect(peak.rss).toBeLessThan(48 * 1024 * 1024);
  }, 120_000);

  it("fails with BLOB_CHECKSUM_MISMATCH when the stored bytes were changed", async () => {
    const ref = await sut.store.put("tampered", text("original"), { ttlMs: MINUTE });
    await sut.tamper(ref, text("ORIGINAL")); // same size, different bytes
    const error = await readError(sut.store.get(ref));
    expect(error).toBeInstanceOf(FatalError);
    expect(error).toMatchObject({ code: ErrorCode.BlobChecksumMismatch });
    expect(String(error)).not.toContain("ORIGINAL");

    await sut.tamper(ref, text("original plus more"));
    expect(await readError(sut.store.get(ref))).toMatchObject({ code: ErrorCode.BlobChecksumMismatch });
  });

  it("fails with BLOB_NOT_FOUND for an expired reference and for a deleted blob", async () => {
    const ref = await sut.store.put("short-lived", text("x"), { ttlMs: MINUTE });
    const expired: BlobRef = { ...ref, expiresAt: new Date(Date.now() - 1).toISOString() };
    const error = await readError(sut.store.get(expired));
    expect(error).toBeInstanceOf(FatalError);
    expect(error).toMatchObject({ code: ErrorCode.BlobNotFound });

    await sut.store.delete(ref);
    await sut.store.delete(ref); // deleting a missing blob is harmless
    expect(await readError(sut.store.get(ref))).toMatchObject({ code: ErrorCode.BlobNotFound });
  });

  it("stops a read when its signal aborts", async () => {
    const ref = await sut.store.put("abortable", generatedPayload(1024 * 1024, 64 * 1024), { ttlMs: MINUTE });
    const controller = new AbortController();
    const reason = new Error("shutting down");
    let chunks = 0;
    const read = async (): Promise<void> => {
      for await (const _ of sut.store.get(ref, { signal: controller.signal })) {
        chunks++;
        controller.abort(reason);
      }
    };
    await expect(read()).rejects.toBe(reason);
    expect(chunks).toBe(1);
  });

  it("sweeps expired blobs and keeps live ones", async () => {
    const soon = await sut.store.put("soon", text("a"), { ttlMs: MINUTE });
    const later = await sut.store.put("later", text("b"), { ttlMs: 20 * MINUTE });
    const sweeper = new BlobSweeper({ stores: [sut.store] });

    expect(await sweeper.sweep()).toEqual({ deleted: 0, staleEntries: 0 });
    expect(await sweeper.sweep(new Date(Date.now() + 2 * MINUTE))).toEqual({ deleted: 1, staleEntries: 0 });

    expect(await readError(sut.store.get(soon))).toMatchObject({ code: ErrorCode.BlobNotFound });
    expect((await readAll(sut.store.get(later))).toString()).toBe("b");
  });

  describe("with a releaser", () => {
    let releaser: BlobReleaser;
    let kvBucket: string;

    beforeEach(() => {
      kvBucket = uniqueBucket("vrsky-test-release");
      releaser = new BlobReleaser({ connection: nc, bucket: kvBucket, stores: [sut.store] });
    });
    afterEach(async () => {
      await deleteStreamIfExists(nc, `KV_${kvBucket}`);
    });

    it("deletes the blob only after the last of three holders releases it", async () => {
      const ref = await sut.store.put("fan-out", text("payload"), { ttlMs: MINUTE });
      await releaser.retain(ref, ["slack", "archive", "webhook"]);

      expect(await releaser.release(ref, "slack")).toEqual({ deleted: false });
      expect(await releaser.release(ref, "archive")).toEqual({ deleted: false });
      expect(await releaser.holders(ref)).toEqual(["webhook"]);
      expect((await readAll(sut.store.get(ref))).toString()).toBe("payload");

      expect(await releaser.release(ref, "webhook")).toEqual({ deleted: true });
      expect(await readError(sut.store.get(ref))).toMatchObject({ code: ErrorCode.BlobNotFound });
    });

    it("treats releasing twice as harmless", async () => {
      const ref = await sut.store.put("twice", text("payload"), { ttlMs: MINUTE });
      await releaser.retain(ref, ["a", "b"]);
      expect(await releaser.release(ref, "a")).toEqual({ deleted: false });
      expect(await releaser.release(ref, "a")).toEqual({ deleted: false });
      expect((await readAll(sut.store.get(ref))).toString()).toBe("payload");
      expect(await releaser.release(ref, "b")).toEqual({ deleted: true });
      expect(await releaser.release(ref, "b")).toEqual({ deleted: false });
    });

    it("deletes exactly once when holders release concurrently", async () => {
      const ref = await sut.store.put("concurrent", text("payload"), { ttlMs: MINUTE });
      await releaser.retain(ref, ["a", "b", "c"]);
      const deleteSpy = vi.spyOn(sut.store, "delete");

      const results = await Promise.all(["a", "b", "c", "a", "c"].map((h) => releaser.release(ref, h)));

      expect(results.filter((r) => r.deleted)).toHaveLength(1);
      expect(deleteSpy).toHaveBeenCalledTimes(1);
      expect(await readError(sut.store.get(ref))).toMatchObject({ code: ErrorCode.BlobNotFound });
    });

    it("sweeps entries of expired blobs that were never released", async () => {
      const ref = await sut.store.put("abandoned", text("payload"), { ttlMs: MINUTE });
      await releaser.retain(ref, ["slow-sink"]);
      const sweeper = new BlobSweeper({ stores: [sut.store], releaser });

      expect(await sweeper.sweep(new Date(Date.now() + 2 * MINUTE))).toEqual({ deleted: 1, staleEntries: 1 });
      expect(await releaser.holders(ref)).toEqual([]);
      expect(await releaser.release(ref, "slow-sink")).toEqual({ deleted: false });
    });
  });
});
