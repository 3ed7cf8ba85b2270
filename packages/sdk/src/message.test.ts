import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ErrorCode, FatalError } from "./errors.js";
import {
  BINARY_CONTENT_TYPE,
  collectBytes,
  type Envelope,
  JSON_CONTENT_TYPE,
  Message,
  TEXT_CONTENT_TYPE,
  toBodySource,
} from "./message.js";
import { MemoryBlobStore } from "./testing/memory-blob-store.js";

const meta = {
  id: "m-1",
  tenant: "t",
  integration: "i",
  source: "s",
  createdAt: "2030-01-01T00:00:00.000Z",
  headers: { "x-a": "1" },
  contentType: JSON_CONTENT_TYPE,
  attempt: 1,
};
const encode = (text: string) => new TextEncoder().encode(text);
const inline = (text: string, extra: Partial<Envelope> = {}) =>
  new Message({ ...meta, body: { type: "inline", bytes: encode(text) }, ...extra });

describe("Message", () => {
  it("reads an inline body as bytes, text and JSON", async () => {
    const msg = inline('{"n":1}');
    expect(new TextDecoder().decode(await msg.bytes())).toBe('{"n":1}');
    expect(await msg.text()).toBe('{"n":1}');
    expect(await msg.json()).toEqual({ n: 1 });
    expect(msg.size).toBe(7);
    expect(msg.isReference).toBe(false);
  });

  it("validates JSON against a schema and names the bad field in a FatalError", async () => {
    const error = await inline('{"order":{"id":"x"}}')
      .json(z.object({ order: z.object({ id: z.number() }) }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalError);
    expect((error as FatalError).message).toMatch(
      /message m-1: body does not match the expected shape: order\.id:/,
    );
  });

  it("rejects malformed JSON and invalid UTF-8 with FatalErrors", async () => {
    await expect(inline("{oops").json()).rejects.toThrow(/message m-1: body is not valid JSON/);
    const latin1 = new Message({ ...meta, body: { type: "inline", bytes: new Uint8Array([0xff, 0xfe]) } });
    await expect(latin1.text()).rejects.toThrow(FatalError);
  });

  it("reads a referenced body through its blob store, in chunks", async () => {
    const blobs = new MemoryBlobStore({ chunkSize: 2 });
    const ref = await blobs.put("k", encode("hello"), { ttlMs: 1000 });
    const msg = new Message({ ...meta, body: { type: "ref", ref } }, blobs);
    const chunks: string[] = [];
    for await (const chunk of msg.stream()) chunks.push(new TextDecoder().decode(chunk));
    expect(chunks).toEqual(["he", "ll", "o"]);
    expect(await msg.text()).toBe("hello");
    expect(msg.size).toBe(5);
    expect(msg.isReference).toBe(true);
  });

  it("fails with BLOB_NOT_FOUND when a referenced body has no blob store to read from", async () => {
    const ref = await new MemoryBlobStore().put("k", encode("x"), { ttlMs: 1000 });
    const msg = new Message({ ...meta, body: { type: "ref", ref } });
    expect(() => msg.stream()).toThrow(expect.objectContaining({ code: ErrorCode.BlobNotFound }));
  });

  it("replaces metadata with withMeta and keeps the body readable", async () => {
    const blobs = new MemoryBlobStore();
    const ref = await blobs.put("k", encode("[1]"), { ttlMs: 1000 });
    const msg = new Message({ ...meta, body: { type: "ref", ref } }, blobs);
    const retry = msg.withMeta({ attempt: 2 });
    expect(retry.meta.attempt).toBe(2);
    expect(msg.meta.attempt).toBe(1);
    expect(await retry.json()).toEqual([1]);
  });

  it("freezes metadata so handlers cannot change what others see", () => {
    const msg = inline("{}");
    expect(Object.isFrozen(msg.meta)).toBe(true);
    expect(Object.isFrozen(msg.headers)).toBe(true);
    expect(msg.toEnvelope()).toMatchObject({ ...meta, body: { type: "inline" } });
  });
});

describe("toBodySource", () => {
  it("derives content types from the kind of body", () => {
    expect(toBodySource({ json: { a: 1 } })).toMatchObject({ type: "bytes", contentType: JSON_CONTENT_TYPE });
    expect(toBodySource({ body: "x" })).toMatchObject({ type: "bytes", contentType: TEXT_CONTENT_TYPE });
    expect(toBodySource({ body: new Uint8Array(1) })).toMatchObject({ contentType: BINARY_CONTENT_TYPE });
    expect(toBodySource({ body: "x", contentType: "text/csv" }).contentType).toBe("text/csv");
    async function* chunks() {
      yield new Uint8Array(1);
    }
    expect(toBodySource({ body: chunks() }).type).toBe("stream");
  });

  it("rejects JSON values that cannot be serialised", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => toBodySource({ json: cyclic })).toThrow(FatalError);
    expect(() => toBodySource({ json: undefined })).toThrow(/value is undefined/);
  });
});

describe("collectBytes", () => {
  it("concatenates chunks in order", async () => {
    async function* chunks() {
      yield encode("ab");
      yield encode("");
      yield encode("c");
    }
    expect(new TextDecoder().decode(await collectBytes(chunks()))).toBe("abc");
  });
});
