import { z } from "zod";

/** A registry connector bundle a worker may load, already verified and cached on disk. */
export const CachedBundle = z.object({
  /** The spec's reference, e.g. `registry:acme-upper@1`. */
  ref: z.string(),
  /** Absolute path of the cached bundle file. */
  file: z.string(),
  /** SHA-256 (hex) the file must have; the worker checks again before importing it. */
  sha256: z.string(),
});
/** A verified, cached registry connector bundle. */
export type CachedBundle = z.infer<typeof CachedBundle>;

/** Orchestrator → worker. */
export const ToWorker = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("run"),
    /** The integration's name in the control plane. */
    name: z.string(),
    version: z.number().int(),
    spec: z.string(),
    format: z.enum(["yaml", "json"]),
    bundles: z.array(CachedBundle),
    /**
     * Changes when the version or a secret it uses changes: the worker restarts the
     * integration when it differs from what runs.
     */
    revision: z.string(),
    /** The tenant secrets the spec refers to (`{ $secret: name }`), by name. */
    secrets: z.record(z.string(), z.string()),
  }),
  z.object({ type: z.literal("stop"), name: z.string() }),
  z.object({ type: z.literal("pause"), name: z.string(), reason: z.string() }),
  z.object({ type: z.literal("resume"), name: z.string() }),
  z.object({
    type: z.literal("dlq"),
    /** Matches the answer to the question. */
    requestId: z.string(),
    name: z.string(),
    op: z.enum(["list", "show", "replay", "purge"]),
    /** For `show`: the DLQ sequence. */
    seq: z.number().int().positive().optional(),
    limit: z.number().int().positive().optional(),
    fromSeq: z.number().int().positive().optional(),
    selector: z
      .object({
        seqs: z.array(z.number().int()).optional(),
        ids: z.array(z.string()).optional(),
        step: z.string().optional(),
        errorContains: z.string().optional(),
        all: z.boolean().optional(),
      })
      .optional(),
  }),
]);
/** Orchestrator → worker. */
export type ToWorker = z.infer<typeof ToWorker>;

/** Worker → orchestrator. */
export const FromWorker = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready") }),
  /** Sent every report interval, whatever the worker runs: it is alive and its event loop turns. */
  z.object({ type: z.literal("heartbeat") }),
  z.object({
    type: z.literal("dlq-result"),
    requestId: z.string(),
    ok: z.boolean(),
    result: z.unknown().optional(),
    error: z.string().optional(),
  }),
  z.object({
    type: z.literal("status"),
    name: z.string(),
    version: z.number().int().nullable(),
    state: z.enum(["starting", "running", "stopped", "failed"]),
    error: z.string().optional(),
    /** Totals of the integration across workers (accepted, delivered, …). */
    counters: z.record(z.string(), z.number()).optional(),
    /** Messages this worker's source accepted since its previous report, for metering. */
    acceptedSinceLast: z.number().int().nonnegative().optional(),
  }),
]);
/** Worker → orchestrator. */
export type FromWorker = z.infer<typeof FromWorker>;
