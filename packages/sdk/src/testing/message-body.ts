import type { BlobStore } from "../blob.js";
import { collectBytes, type MessageBody, type MessageInit, toBodySource } from "../message.js";
import { TEST_DEFAULTS } from "./test-defaults.js";

/** How {@link placeBody} decides between an inline body and a reference. */
export interface BodyPlacement {
  /** Where referenced bodies are written. */
  blobs: BlobStore;
  /** Key of the blob, if the body is referenced. */
  key: string;
  /** `true`: always a reference; `false`: always inline; `"auto"`: by size, like the runtime. */
  reference: boolean | "auto";
  /** Size above which `"auto"` references a body. @default 262144 */
  threshold?: number;
  /** Stops reading a streamed body when aborted. */
  signal?: AbortSignal;
}

/**
 * Reads the body of a {@link MessageInit} and stores it inline or in the blob store.
 * @param init - the message a test or handler produced
 * @param placement - where and how to store it
 * @throws FatalError if a `json` value cannot be serialised
 */
export async function placeBody(
  init: MessageInit,
  placement: BodyPlacement,
): Promise<{ body: MessageBody; contentType: string }> {
  const source = toBodySource(init);
  const bytes = source.type === "bytes" ? source.bytes : await collectBytes(source.stream);
  const threshold = placement.threshold ?? TEST_DEFAULTS.referenceThreshold;
  const reference = placement.reference === "auto" ? bytes.byteLength > threshold : placement.reference;
  if (!reference) return { body: { type: "inline", bytes }, contentType: source.contentType };
  const ref = await placement.blobs.put(placement.key, bytes, {
    ttlMs: TEST_DEFAULTS.blobTtlMs,
    contentType: source.contentType,
    ...(placement.signal ? { signal: placement.signal } : {}),
  });
  return { body: { type: "ref", ref }, contentType: source.contentType };
}
