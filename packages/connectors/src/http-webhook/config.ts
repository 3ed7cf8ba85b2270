import { secret, z } from "@vrsky/sdk";
import { HeaderName } from "../http-shared/header-name.js";

/** Default `maxBodyBytes`: 10 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** The path of the health endpoint every shared webhook server answers. */
export const HEALTH_PATH = "/healthz";

/** How `http-webhook` authenticates requests. */
export const WebhookAuth = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("none").describe("Accept every request (put authentication in front of VRSky)."),
    }),
    z.strictObject({
      type: z.literal("api-key").describe("Require a shared key in a request header."),
      header: HeaderName.default("x-api-key")
        .describe("The header carrying the key.")
        .meta({ examples: ["x-api-key", "authorization"] }),
      key: secret(z.string().min(1)).describe("The expected key; compared in constant time."),
    }),
    z.strictObject({
      type: z
        .literal("hmac")
        .describe("Require an HMAC of the raw body (GitHub, Shopify, Stripe-style signatures)."),
      header: HeaderName.default("x-hub-signature-256")
        .describe("The header carrying the signature.")
        .meta({ examples: ["x-hub-signature-256", "x-signature"] }),
      algorithm: z.enum(["sha256", "sha1", "sha512"]).default("sha256").describe("The HMAC hash function."),
      prefix: z
        .string()
        .default("sha256=")
        .describe('Text before the hex digest in the header; set `sha1=` with sha1, `""` for a bare digest.')
        .meta({ examples: ["sha256=", ""] }),
      encoding: z
        .enum(["hex", "base64"])
        .default("hex")
        .describe("How the digest is written: `hex` (GitHub; case ignored) or `base64` (Shopify)."),
      secret: secret(z.string().min(1)).describe("The shared signing secret."),
    }),
  ])
  .default({ type: "none" })
  .describe("Request authentication: `none`, `api-key` or `hmac` (signature over the raw body).");
/** Parsed `auth` of `http-webhook`. */
export type WebhookAuth = z.infer<typeof WebhookAuth>;

/**
 * Config of the `http-webhook` consumer. Steps with the same `host` and `port` share one
 * server in a worker process; each serves its own `path`.
 * @example
 * ```ts
 * HttpWebhookConfig.parse({
 *   path: "/hooks/github",
 *   auth: { type: "hmac", secret: process.env.GITHUB_WEBHOOK_SECRET },
 * });
 * ```
 */
export const HttpWebhookConfig = z.strictObject({
  port: z
    .number()
    .int()
    .min(1)
    .max(65_535)
    .default(8080)
    .describe("TCP port to listen on; shared by every webhook step on the same host and port.")
    .meta({ examples: [8080] }),
  host: z
    .string()
    .regex(/^[A-Za-z0-9.:-]+$/, "expected an IP address or a host name such as `0.0.0.0`")
    .default("0.0.0.0")
    .describe("Interface to listen on: `0.0.0.0` for all, `127.0.0.1` for local only.")
    .meta({ examples: ["0.0.0.0", "127.0.0.1"] }),
  path: z
    .string()
    .regex(/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/, "expected a URL path such as `/hooks/github`")
    .refine((path) => path !== HEALTH_PATH, `${HEALTH_PATH} is reserved for the health endpoint`)
    .describe("The request path this step serves (exact match, no query string).")
    .meta({ examples: ["/hooks/github", "/hooks/shopify/orders"] }),
  methods: z
    .array(z.enum(["POST", "PUT", "PATCH", "DELETE", "GET"]))
    .min(1)
    .default(["POST"])
    .describe("Accepted methods; others get 405.")
    .meta({ examples: [["POST"], ["POST", "PUT"]] }),
  auth: WebhookAuth,
  maxBodyBytes: z
    .number()
    .int()
    .positive()
    .max(1024 * 1024 * 1024)
    .default(DEFAULT_MAX_BODY_BYTES)
    .describe(
      "Largest body accepted, in bytes; larger requests get 413. With `hmac` auth the body is held in memory up to this size.",
    )
    .meta({ examples: [DEFAULT_MAX_BODY_BYTES, 1_048_576] }),
  idempotencyHeader: HeaderName.default("x-github-delivery")
    .describe(
      "Request header whose value becomes the message key, so a redelivered webhook is accepted once.",
    )
    .meta({ examples: ["x-github-delivery", "x-shopify-webhook-id", "idempotency-key"] }),
  forwardHeaders: z
    .array(HeaderName)
    .default(["content-type", "user-agent", "x-github-event"])
    .describe(
      "Request headers copied to the message headers (names lower-cased). Auth headers are never needed here.",
    )
    .meta({ examples: [["content-type", "x-github-event", "x-github-hook-id"]] }),
  responseStatus: z
    .union([z.literal(200), z.literal(201), z.literal(202), z.literal(204)])
    .default(202)
    .describe(
      "Status sent once the message is durably accepted; 204 sends no body, the others `{ id, duplicate }`.",
    ),
  maxInFlight: z
    .number()
    .int()
    .positive()
    .max(100_000)
    .default(1000)
    .describe("Most requests of this step waiting for acceptance at once; beyond, 429 with Retry-After.")
    .meta({ examples: [1000] }),
});
/** Parsed config of `http-webhook`. */
export type HttpWebhookConfig = z.infer<typeof HttpWebhookConfig>;
