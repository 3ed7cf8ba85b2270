import { secret, z } from "@vrsky/sdk";
import { HeaderName } from "../http-shared/header-name.js";
import { jsonTemplate } from "../http-shared/json-template.js";
import { Template, templateProblem, templateText } from "../http-shared/template.js";

// Scheme and host must be literal: message data may fill the path and query, never pick the host.
const LITERAL_ORIGIN = /^https?:\/\/[^/?#{}\s]+(?:[/?#]|$)/;

/** How `http-out` authenticates to the target. */
export const HttpOutAuth = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("none").describe("No Authorization header."),
    }),
    z.strictObject({
      type: z.literal("bearer").describe("Sends `Authorization: Bearer <token>`."),
      token: secret(z.string().min(1)).describe("The bearer token (an API key, an OAuth access token)."),
    }),
    z.strictObject({
      type: z.literal("basic").describe("Sends `Authorization: Basic base64(username:password)`."),
      username: z
        .string()
        .min(1)
        .regex(/^[^:]*$/, "a Basic auth username cannot contain `:`")
        .describe("The user name.")
        .meta({ examples: ["vrsky"] }),
      password: secret(z.string().min(1)).describe("The password."),
    }),
  ])
  .describe("Authentication: `none`, `bearer` (token) or `basic` (username and password).");
/** Parsed `auth` of `http-out`. */
export type HttpOutAuth = z.infer<typeof HttpOutAuth>;

/** What `http-out` sends as the request body. */
export const HttpOutBody = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z
        .literal("message")
        .describe(
          "The message body as it is, with its content type; large (claim-checked) bodies are streamed.",
        ),
    }),
    z.strictObject({
      type: z.literal("json-template").describe("A JSON document built from the message's JSON body."),
      template: jsonTemplate("body.template")
        .describe(
          "JSON with `{{ field.path }}`, `{{ $id }}` and `{{ $header.name }}` placeholders in its strings; " +
            'a string that is only a placeholder keeps the value\'s type (`"{{ total }}"` → `42`).',
        )
        .meta({ examples: [{ orderId: "{{ order.id }}", amount: "{{ order.total }}", source: "vrsky" }] }),
    }),
  ])
  .describe(
    "The request body: `message` (the raw body) or `json-template` (a JSON document built per message).",
  );
/** Parsed `body` of `http-out`. */
export type HttpOutBody = z.infer<typeof HttpOutBody>;

/**
 * Config of the `http-out` producer: one HTTP request per message.
 * @example
 * ```ts
 * HttpOutConfig.parse({
 *   url: "https://api.example.com/orders/{{ order.id }}",
 *   method: "PUT",
 *   auth: { type: "bearer", token: process.env.API_TOKEN },
 * });
 * ```
 */
export const HttpOutConfig = z.strictObject({
  url: templateText("url")
    .superRefine((text, ctx) => {
      if (templateProblem(text, "url") !== undefined) return; // reported by templateText
      const prefix = Template.compile(text, "url").literalPrefix;
      if (!LITERAL_ORIGIN.test(prefix)) {
        ctx.addIssue({
          code: "custom",
          input: text,
          message:
            "expected an http(s) URL whose scheme and host are written out, e.g. `https://api.example.com/orders/{{ order.id }}` — placeholders may fill the path and query only",
        });
      } else if (!text.includes("{{") && !URL.canParse(text)) {
        ctx.addIssue({ code: "custom", input: text, message: "not a valid URL" });
      }
    })
    .describe(
      "Target URL; `{{ field.path }}`, `{{ $id }}` and `{{ $header.name }}` placeholders in the path and query are filled per message and URL-encoded.",
    )
    .meta({
      examples: ["https://api.example.com/orders/{{ order.id }}", "https://hooks.example.com/ingest"],
    }),
  method: z
    .enum(["POST", "PUT", "PATCH", "DELETE", "GET"])
    .default("POST")
    .describe("HTTP method. GET sends no body."),
  headers: z
    .record(HeaderName, templateText("headers"))
    .default({})
    .describe(
      "Extra request headers; values are templates. Put credentials in `auth` or `secretHeaders`, not here.",
    )
    .meta({ examples: [{ "X-Tenant": "{{ $header.x-tenant }}", "X-Order-Ref": "{{ order.id }}" }] }),
  secretHeaders: z
    .record(HeaderName, secret(z.string().min(1)))
    .default({})
    .describe(
      "Headers whose values are credentials (e.g. `X-Api-Key`); sent as they are, redacted everywhere.",
    ),
  auth: HttpOutAuth.default({ type: "none" }),
  body: HttpOutBody.default({ type: "message" }),
  timeoutMs: z
    .number()
    .int()
    .min(1)
    .max(300_000)
    .default(10_000)
    .describe(
      "Abort the request after this many milliseconds (the attempt is then retried). Also bounds reading the error body.",
    )
    .meta({ examples: [5000] }),
  idempotencyHeader: HeaderName.default("Idempotency-Key")
    .describe(
      "Header carrying the message id, identical on every retry of the same message, so the target can drop repeats.",
    )
    .meta({ examples: ["Idempotency-Key", "X-Request-Id"] }),
});
/** Parsed config of `http-out`. */
export type HttpOutConfig = z.infer<typeof HttpOutConfig>;
