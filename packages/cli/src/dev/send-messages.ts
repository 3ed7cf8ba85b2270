import { extname } from "node:path";
import { jetstream } from "@nats-io/jetstream";
import {
  BlobReleaser,
  encodeEnvelope,
  JetStreamBlobStore,
  type NatsConnection,
  PROCESS_HOLDER,
  storeBody,
  topologyOf,
} from "@vrsky/runtime";
import { type Envelope, type MessageInit, newTraceparent, toBodySource } from "@vrsky/sdk";
import { CliError, CliErrorCode } from "../cli-error.js";

const CONTENT_TYPES: Record<string, string> = {
  ".json": "application/json",
  ".csv": "text/csv",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".ndjson": "application/x-ndjson",
};

/**
 * Turns a file's bytes into messages: NDJSON (`.ndjson`, `.jsonl`, or `format: "ndjson"`) gives
 * one JSON message per line, JSON one message, anything else one raw message with a content
 * type from the extension.
 * @throws CliError naming the line of invalid JSON
 */
export function parseSendInput(
  bytes: Uint8Array,
  name: string,
  format?: "json" | "ndjson" | "raw",
): MessageInit[] {
  const ext = extname(name).toLowerCase();
  const kind =
    format ?? (ext === ".ndjson" || ext === ".jsonl" ? "ndjson" : ext === ".json" ? "json" : "raw");
  if (kind === "raw") {
    return [{ body: bytes, contentType: CONTENT_TYPES[ext] ?? "application/octet-stream" }];
  }
  const text = new TextDecoder().decode(bytes);
  const lines = kind === "ndjson" ? text.split("\n") : [text];
  const out: MessageInit[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    try {
      out.push({ json: JSON.parse(line) });
    } catch (err) {
      const where = kind === "ndjson" ? `${name} line ${index + 1}` : name;
      throw new CliError(CliErrorCode.InvalidInput, `${where} is not valid JSON: ${(err as Error).message}`, {
        suggestions: ["send raw bytes with --format raw"],
      });
    }
  });
  return out;
}

/** Options of {@link sendMessages}. */
export interface SendOptions {
  nc: NatsConnection;
  integration: string;
  claimCheck: { thresholdBytes: number; ttlMs: number };
  /** Header added to every message. */
  headers?: Record<string, string>;
}

/** What happened to one sent message. */
export interface SendResult {
  id: string;
  duplicate: boolean;
  size: number;
  byReference: boolean;
}

/**
 * Injects messages into a running integration's ingress, exactly as its source would: large
 * bodies go by reference through the integration's blob store, and `key` de-duplicates.
 */
export async function sendMessages(inits: readonly MessageInit[], o: SendOptions): Promise<SendResult[]> {
  const t = topologyOf(o.integration);
  const js = jetstream(o.nc);
  const store = new JetStreamBlobStore({
    connection: o.nc,
    bucket: t.blobBucket,
    maxAgeMs: 2 * o.claimCheck.ttlMs,
  });
  const releaser = new BlobReleaser({ connection: o.nc, bucket: t.blobHoldersBucket, stores: [store] });
  const results: SendResult[] = [];
  for (const init of inits) {
    const id = init.key ?? crypto.randomUUID();
    const source = toBodySource(init);
    const body = await storeBody(source, {
      thresholdBytes: o.claimCheck.thresholdBytes,
      ttlMs: o.claimCheck.ttlMs,
      store,
      key: `${o.integration}/${encodeURIComponent(id)}/${crypto.randomUUID()}`,
    });
    if (body.type === "ref") await releaser.retain(body.ref, [PROCESS_HOLDER]);
    const envelope: Envelope = {
      id,
      tenant: "dev",
      integration: o.integration,
      source: "vrsky-send",
      createdAt: new Date().toISOString(),
      headers: { ...o.headers, ...init.headers },
      contentType: source.contentType,
      attempt: 1,
      traceparent: newTraceparent(),
      body,
    };
    const ack = await js.publish(t.inSubject, encodeEnvelope(envelope), { msgID: id });
    results.push({
      id,
      duplicate: ack.duplicate,
      size: body.type === "ref" ? body.ref.size : body.bytes.byteLength,
      byReference: body.type === "ref",
    });
  }
  return results;
}
