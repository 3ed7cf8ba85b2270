import type { BlobStore } from "../blob.js";
import type { ConverterOutput } from "../connector.js";
import { FatalError } from "../errors.js";
import { Message, type MessageInit } from "../message.js";
import { childTraceparent } from "../trace.js";
import { placeBody } from "./message-body.js";
import { isMessage } from "./test-message.js";

/** Where converter outputs put bodies too large to travel inline. */
export interface OutputPlacement {
  /** Blob store for large bodies. */
  blobs: BlobStore;
  /** Size above which a body travels by reference. @default 262144 */
  threshold?: number;
}

/**
 * Turns what a converter returned into the messages the runtime would pass on: each carries
 * the input's tenant, integration, source, creation time and attempt, a child span of its
 * trace, the input's headers overridden by the output's, and an id derived from the input's —
 * `input.id` for a single output, `input.id:index` for several — so retries stay idempotent.
 *
 * @param converter - name of the converter, for error messages
 * @param input - the message that was converted
 * @param output - what `convert` returned
 * @param placement - blob store and threshold for large bodies
 * @throws FatalError if the output is neither a message, a message init, a list of them, nor empty
 */
export async function toConverterOutputs(
  converter: string,
  input: Message,
  output: ConverterOutput,
  placement: OutputPlacement,
): Promise<Message[]> {
  if (output === null || output === undefined) return [];
  const items: readonly unknown[] = Array.isArray(output) ? output : [output];
  const results: Message[] = [];
  for (const [index, item] of items.entries()) {
    const id = items.length === 1 ? input.id : `${input.id}:${index}`;
    const meta = {
      id,
      tenant: input.meta.tenant,
      integration: input.meta.integration,
      source: input.meta.source,
      createdAt: input.meta.createdAt,
      attempt: input.meta.attempt,
      traceparent: childTraceparent(input.meta.traceparent),
    };
    if (isOutputMessage(item)) {
      results.push(item.withMeta({ ...meta, headers: { ...input.headers, ...item.headers } }));
      continue;
    }
    if (!isMessageInit(item)) {
      throw new FatalError(
        `converter "${converter}" returned ${describeValue(item)} as output ${index} for message ${input.id}: ` +
          "return a message such as { json: value } or { body: bytes }, a list of them, or null to drop",
      );
    }
    const { body, contentType } = await placeBody(item, { ...placement, key: id, reference: "auto" });
    results.push(
      new Message(
        { ...meta, headers: { ...input.headers, ...item.headers }, contentType, body },
        placement.blobs,
      ),
    );
  }
  return results;
}

function isOutputMessage(value: unknown): value is Message {
  return typeof value === "object" && value !== null && isMessage(value as Message);
}

function isMessageInit(value: unknown): value is MessageInit {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return record.body !== undefined || "json" in record;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a nested list";
  if (typeof value === "object") return `an object without "body" or "json"`;
  return `a ${typeof value}`;
}
