import type { NatsConnection } from "@nats-io/transport-node";
import type { BlobPutOptions } from "@vrsky/sdk";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  connectTestNats,
  deleteStreamIfExists,
  generatedPayload,
  readAll,
  uniqueBucket,
} from "./blob-test-backends.js";
import { JetStreamBlobStore } from "./jetstream-blob-store.js";
import { storeBody } from "./store-body.js";

const MINUTE = 60_000;

describe("storeBody", () => {
  let nc: NatsConnection;
  let store: JetStreamBlobStore;
  const bucket = uniqueBucket();

  beforeAll(async () => {
    nc = await connectTestNats();
    store = new JetStreamBlobStore({ connection: nc, bucket, storage: "memory", maxAgeMs: 10 * MINUTE });
  });
  afterAll(async () => {
    await deleteStreamIfExists(nc, `OBJ_${bucket}`);
    await nc.close();
  });

  /** A source that counts the chunks pulled from it and whether it was closed. */
  function countedSource(size: number, chunkSize: number) {
    const state = { pulled: 0, closed: false };
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for await (const chunk of generatedPayload(size, chunkSize)) {
          state.pulled++;
          yield chunk;
        }
      } finally {
        state.closed = true;
      }
    }
    return { state, stream: source() };
  }

  it("reads a stream only one chunk past the threshold before handing it to the store", async () => {
    const { state, stream } = countedSource(100 * 1024, 1024);
    const pulledAtPut: number[] = [];
    const put = store.put.bind(store);
    const spy = vi
      .spyOn(store, "put")
      .mockImplementation(
        (key: string, body: Uint8Array | AsyncIterable<Uint8Array>, options: BlobPutOptions) => {
          pulledAtPut.push(state.pulled);
          return put(key, body, options);
        },
      );

    try {
      const body = await storeBody(stream, { thresholdBytes: 4096, ttlMs: MINUTE, store, key: "prefix" });
      expect(pulledAtPut).toEqual([5]); // 4 chunks reach the threshold, the 5th crosses it
      expect(body.type === "ref" && body.ref.size).toBe(100 * 1024);
      expect(state.closed).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it("records the content type of a body source with the blob", async () => {
    const spy = vi.spyOn(store, "put");
    try {
      await storeBody(
        { type: "bytes", bytes: new Uint8Array(10), contentType: "text/csv" },
        { thresholdBytes: 5, ttlMs: MINUTE, store, key: "typed" },
      );
      expect(spy).toHaveBeenCalledWith("typed", expect.any(Uint8Array), {
        ttlMs: MINUTE,
        contentType: "text/csv",
      });
    } finally {
      spy.mockRestore();
    }
  });

  it("closes the source when the store refuses the blob", async () => {
    const { state, stream } = countedSource(10 * 1024, 1024);
    await expect(
      storeBody(stream, { thresholdBytes: 10, ttlMs: 60 * MINUTE, store, key: "refused" }),
    ).rejects.toThrow(/exceeds the max age/);
    expect(state.closed).toBe(true);
  });

  it("stops reading and closes the source when aborted", async () => {
    const controller = new AbortController();
    const reason = new Error("shutting down");
    const state = { closed: false };
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield new Uint8Array(10);
        controller.abort(reason);
        yield new Uint8Array(10);
      } finally {
        state.closed = true;
      }
    }
    await expect(
      storeBody(source(), {
        thresholdBytes: 1024,
        ttlMs: MINUTE,
        store,
        key: "aborted",
        signal: controller.signal,
      }),
    ).rejects.toBe(reason);
    expect(state.closed).toBe(true);
  });

  it("keeps an empty stream inline and round-trips a reference", async () => {
    expect(
      await storeBody(generatedPayload(0), { thresholdBytes: 0, ttlMs: MINUTE, store, key: "empty" }),
    ).toEqual({
      type: "inline",
      bytes: new Uint8Array(0),
    });
    const body = await storeBody(new Uint8Array([1]), {
      thresholdBytes: 0,
      ttlMs: MINUTE,
      store,
      key: "one",
    });
    if (body.type !== "ref") throw new Error("expected a reference");
    expect([...(await readAll(store.get(body.ref)))]).toEqual([1]);
  });

  it("rejects a negative threshold", async () => {
    await expect(
      storeBody(new Uint8Array(1), { thresholdBytes: -1, ttlMs: MINUTE, store, key: "x" }),
    ).rejects.toThrow(RangeError);
  });
});
