import { BlobRef, type Envelope, EnvelopeMeta, FatalError } from "@vrsky/sdk";
import { z } from "zod";

/** Why and where a message was dead-lettered; kept with the message in the DLQ stream. */
export const DeadLetterInfo = z.object({
  /** The error message (never the payload). */
  error: z.string(),
  /** The error's code (`FATAL`, `RETRYABLE`, `BLOB_NOT_FOUND`, …). */
  code: z.string(),
  /** `process` for source→sink processing (converters and filters), `sink` for delivery. */
  stage: z.enum(["process", "sink"]),
  /** The step that failed: a step name, or the sink name. */
  step: z.string(),
  /** For the sink stage: which sink. */
  sink: z.string().optional(),
  /** Attempts made before giving up. */
  attempts: z.number().int().nonnegative(),
  /** When it was dead-lettered (ISO-8601). */
  failedAt: z.string(),
  /** The subject to publish to when replaying. */
  replaySubject: z.string(),
});
/** Why and where a message was dead-lettered. */
export type DeadLetterInfo = z.infer<typeof DeadLetterInfo>;

const WireMeta = EnvelopeMeta.extend({
  ref: BlobRef.optional(),
  /** Route names chosen by filters, carried from the process stage to the sinks for status. */
  routes: z.array(z.string()).optional(),
  dlq: DeadLetterInfo.optional(),
});
type WireMeta = z.infer<typeof WireMeta>;

/** An envelope as decoded from the wire, with the extras the runtime carries. */
export interface WireEnvelope {
  /** The SDK envelope. */
  envelope: Envelope;
  /** Present on messages in the DLQ stream. */
  dlq?: DeadLetterInfo;
}

const EMPTY = new Uint8Array(0);
const VERSION = 1;

/**
 * Encodes an envelope as one NATS payload: `[version:u8][metaLength:u32be][meta JSON][body]`.
 * Metadata travels as JSON (any Unicode, unlike NATS headers); an inline body follows as raw
 * bytes so it is never base64-inflated; a reference body has no bytes.
 *
 * @param envelope - the message
 * @param dlq - dead-letter details for the DLQ stream
 */
export function encodeEnvelope(envelope: Envelope, dlq?: DeadLetterInfo): Uint8Array {
  const { body, ...meta } = envelope;
  const wire: WireMeta = {
    ...meta,
    ...(body.type === "ref" ? { ref: body.ref } : {}),
    ...(dlq ? { dlq } : {}),
  };
  const json = JSON.stringify(wire);
  const bodyBytes = body.type === "inline" ? body.bytes : EMPTY;
  // The metadata is written straight into the payload: no intermediate byte copy.
  const out = Buffer.allocUnsafe(5 + Buffer.byteLength(json) + bodyBytes.byteLength);
  out[0] = VERSION;
  const metaLength = out.write(json, 5);
  out.writeUInt32BE(metaLength, 1);
  out.set(bodyBytes, 5 + metaLength);
  return out;
}

/**
 * Decodes a payload written by {@link encodeEnvelope}.
 * @param data - the NATS payload
 * @throws FatalError when the payload is not a VRSky envelope (it goes to the DLQ as is)
 */
export function decodeEnvelope(data: Uint8Array): WireEnvelope {
  if (data.byteLength < 5 || data[0] !== VERSION) {
    throw new FatalError(
      `not a VRSky envelope (version byte ${data[0] ?? "missing"}, ${data.byteLength} bytes)`,
    );
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const metaLength = view.getUint32(1);
  if (5 + metaLength > data.byteLength) throw new FatalError("truncated VRSky envelope");
  let raw: unknown;
  try {
    raw = JSON.parse(
      Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8", 5, 5 + metaLength),
    );
  } catch (cause) {
    throw new FatalError("VRSky envelope metadata is not JSON", { cause });
  }
  const parsed = WireMeta.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new FatalError(`invalid VRSky envelope metadata: ${where}`, { cause: parsed.error });
  }
  const { ref, dlq, routes: _routes, ...meta } = parsed.data;
  const envelope: Envelope = ref
    ? { ...meta, body: { type: "ref", ref } }
    : { ...meta, body: { type: "inline", bytes: data.subarray(5 + metaLength) } };
  return dlq ? { envelope, dlq } : { envelope };
}
