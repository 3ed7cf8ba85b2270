import { z } from "zod";
import { ProvisionerError } from "./provisioner-error.js";

/** The value of any plan limit that means "no limit" (nats-server's `-1`). */
export const UNLIMITED = -1;

const Limit = z.number().int().min(UNLIMITED);
const Bytes = z.number().int().positive();
const Storage = z.enum(["file", "memory"]);

/**
 * A tenant id: lowercase letters, digits and dashes, at most 63 characters, starting and ending
 * with a letter or digit (a DNS label, so it can name Kubernetes objects). Control-plane UUIDs fit.
 */
export const TenantId = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    "must be 1-63 lowercase letters, digits or dashes, starting and ending with a letter or digit",
  );
/** A tenant id. */
export type TenantId = z.infer<typeof TenantId>;

/**
 * What a tenant's plan allows, enforced by nats-server through the account JWT. Every limit is a
 * count or a byte size; {@link UNLIMITED} (`-1`) lifts it.
 */
export const TenantPlan = z.object({
  /** JetStream streams, KV buckets and object stores together (each is a stream). */
  maxStreams: Limit,
  /** JetStream consumers across all streams. */
  maxConsumers: Limit,
  /** JetStream memory storage in bytes. */
  maxMemoryBytes: Limit,
  /** JetStream file storage in bytes. */
  maxStorageBytes: Limit,
  /** Concurrent client connections. */
  maxConnections: Limit,
  /** Subscriptions across all connections. @default -1 */
  maxSubscriptions: Limit.default(UNLIMITED),
  /** Largest message payload in bytes. @default -1 (the server's `max_payload`) */
  maxPayloadBytes: Limit.default(UNLIMITED),
  /** Unacknowledged messages per consumer. @default -1 */
  maxAckPending: Limit.default(UNLIMITED),
  /** Whether every stream must declare `max_bytes` (so no stream can take the whole quota). @default false */
  maxBytesRequired: z.boolean().default(false),
});
/** What a tenant's plan allows. */
export type TenantPlan = z.infer<typeof TenantPlan>;
/** A {@link TenantPlan} as callers write it: defaulted fields may be left out. */
export type TenantPlanInput = z.input<typeof TenantPlan>;

/** A stream to create in the tenant's account. */
export const StreamSpec = z.object({
  /** Stream name. */
  name: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '_' or '-' only"),
  /** Subjects captured (inside the tenant's account: no tenant prefix needed). */
  subjects: z.array(z.string().min(1)).min(1),
  /** @default "file" */
  storage: Storage.default("file"),
  /** @default "limits" */
  retention: z.enum(["limits", "workqueue", "interest"]).default("limits"),
  /** Byte cap of this stream. @default none */
  maxBytes: Bytes.optional(),
  /** Message count cap. @default none */
  maxMsgs: z.number().int().positive().optional(),
  /** Message age cap in milliseconds. @default none */
  maxAgeMs: z.number().int().positive().optional(),
});
/** A stream to create in the tenant's account. */
export type StreamSpec = z.infer<typeof StreamSpec>;

/** A KV bucket to create in the tenant's account. */
export const KvBucketSpec = z.object({
  /** Bucket name. */
  bucket: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '_' or '-' only"),
  /** Values kept per key. @default 1 */
  history: z.number().int().min(1).max(64).default(1),
  /** @default "file" */
  storage: Storage.default("file"),
  /** Byte cap of the bucket. @default none */
  maxBytes: Bytes.optional(),
  /** Entry age cap in milliseconds. @default none */
  ttlMs: z.number().int().positive().optional(),
});
/** A KV bucket to create in the tenant's account. */
export type KvBucketSpec = z.infer<typeof KvBucketSpec>;

/** An object store to create in the tenant's account. */
export const ObjectStoreSpec = z.object({
  /** Bucket name. */
  bucket: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '_' or '-' only"),
  /** @default "file" */
  storage: Storage.default("file"),
  /** Byte cap of the store. @default none */
  maxBytes: Bytes.optional(),
});
/** An object store to create in the tenant's account. */
export type ObjectStoreSpec = z.infer<typeof ObjectStoreSpec>;

/** The JetStream resources every tenant starts with (created with the tenant's own credentials). */
export const BaselineResources = z.object({
  /** @default [] */
  streams: z.array(StreamSpec).default([]),
  /** @default [] */
  kvBuckets: z.array(KvBucketSpec).default([]),
  /** @default [] */
  objectStores: z.array(ObjectStoreSpec).default([]),
});
/** The JetStream resources every tenant starts with. */
export type BaselineResources = z.infer<typeof BaselineResources>;

/** A tenant to provision. */
export const TenantSpec = z.object({
  /** The tenant id; also the NATS account name. */
  id: TenantId,
  /** Limits, written into the account JWT. */
  plan: TenantPlan,
  /** How many integrations the tenant runs; drives placement. @default 0 */
  integrationCount: z.number().int().min(0).default(0),
  /** JetStream resources to create right away. @default none */
  resources: BaselineResources.default({ streams: [], kvBuckets: [], objectStores: [] }),
});
/** A tenant to provision, after defaults. */
export type TenantSpec = z.infer<typeof TenantSpec>;
/** A tenant to provision, as callers write it. */
export type TenantSpecInput = z.input<typeof TenantSpec>;

/**
 * Parses `input` with `schema`, reporting every issue at once.
 *
 * @param schema - the zod schema
 * @param input - untrusted input
 * @param what - what is parsed, e.g. `tenant "acme"`, for the message
 * @returns the parsed value
 * @throws ProvisionerError `TENANT_INVALID` listing each issue with its field path
 */
export function parseTenantInput<T extends z.ZodType>(schema: T, input: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map(
    (issue) => `\n  - ${issue.path.join(".") || "(root)"}: ${issue.message}`,
  );
  throw new ProvisionerError("TENANT_INVALID", `${what} is invalid:${issues.join("")}`);
}
