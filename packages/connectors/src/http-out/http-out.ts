import { defineProducer, FatalError, JSON_CONTENT_TYPE, type Message } from "@vrsky/sdk";
import { isSafeHeaderValue } from "../http-shared/header-name.js";
import { sendHttp } from "../http-shared/http-delivery.js";
import { JsonTemplate } from "../http-shared/json-template.js";
import { Template, type TemplateScope } from "../http-shared/template.js";
import { type HttpOutAuth, HttpOutConfig } from "./config.js";

/** What `http-out` prepares once per step. */
export interface HttpOutResources {
  /** The URL template. */
  readonly url: Template;
  /** Header templates, by header name. */
  readonly headers: ReadonlyMap<string, Template>;
  /** The body template, for `body.type: json-template`. */
  readonly body: JsonTemplate | undefined;
  /** Headers sent as they are: `Authorization` and `secretHeaders`. */
  readonly fixedHeaders: Readonly<Record<string, string>>;
  /** Every credential value, scrubbed from error messages. */
  readonly secrets: readonly string[];
}

/**
 * `http-out`: sends each message as one HTTP request.
 *
 * The URL, header values and (with `body.type: json-template`) the body are templates filled
 * from the message; the message id travels in the idempotency header so the target can drop a
 * retried request it already processed. A `message` body is sent as it is, and a claim-checked
 * body is streamed from the blob store without being buffered.
 *
 * @throws RetryableError on 408, 425, 429 and 5xx (honouring `Retry-After`), network errors and timeouts
 * @throws FatalError on other 4xx and 3xx (with the status and an excerpt of the response), and for
 *   a message a template cannot be filled from
 * @example
 * ```yaml
 * sinks:
 *   orders-api:
 *     connector: http-out
 *     config:
 *       url: https://api.example.com/orders/{{ order.id }}
 *       method: PUT
 *       auth: { type: bearer, token: { $env: ORDERS_API_TOKEN } }
 * ```
 */
export const httpOut = defineProducer<HttpOutConfig, HttpOutResources>({
  name: "http-out",
  version: "1.0.0",
  description: "Sends each message as an HTTP request to a templated URL, with retries on 429/5xx.",
  categories: ["http"],
  icon: "globe",
  config: HttpOutConfig,
  examples: [
    {
      title: "Forward the raw body to an ingest endpoint",
      config: { url: "https://hooks.example.com/ingest", secretHeaders: { "X-Api-Key": "<api key>" } },
    },
    {
      title: "PUT an order built from the message, with a bearer token",
      config: {
        url: "https://api.example.com/orders/{{ order.id }}",
        method: "PUT",
        auth: { type: "bearer", token: "<token>" },
        headers: { "X-Source": "vrsky" },
        body: {
          type: "json-template",
          template: { reference: "{{ order.id }}", total: "{{ order.total }}", currency: "EUR" },
        },
        timeoutMs: 5000,
      },
    },
  ],
  init({ config }) {
    const auth = authHeader(config.auth);
    return {
      url: Template.compile(config.url, "url"),
      headers: new Map(
        Object.entries(config.headers).map(([name, text]) => [
          name,
          Template.compile(text, `headers.${name}`),
        ]),
      ),
      body:
        config.body.type === "json-template"
          ? JsonTemplate.compile(config.body.template, "body.template")
          : undefined,
      fixedHeaders: { ...config.secretHeaders, ...(auth ? { authorization: auth.header } : {}) },
      secrets: [...Object.values(config.secretHeaders), ...(auth?.secrets ?? [])],
    };
  },
  async deliver(message, ctx) {
    const { config, resources } = ctx;
    const needsBody =
      resources.url.needsBody ||
      (resources.body?.needsBody ?? false) ||
      [...resources.headers.values()].some((t) => t.needsBody);
    const scope: TemplateScope = {
      id: message.id,
      headers: message.headers,
      body: needsBody ? await message.json({ signal: ctx.signal }) : undefined,
    };
    const url = renderUrl(resources.url, scope, message);
    const headers: Record<string, string> = {};
    if (config.method !== "GET") {
      headers["content-type"] = resources.body ? JSON_CONTENT_TYPE : message.contentType;
      // A streamed body would go chunked; many targets (object stores, upload APIs) need the length.
      if (!resources.body && message.isReference) headers["content-length"] = String(message.size);
    }
    for (const [name, template] of resources.headers) {
      const value = template.render(scope);
      if (!isSafeHeaderValue(value)) {
        throw new FatalError(
          `message ${message.id}: headers.${name} renders to a value with a line break, which cannot be sent as a header`,
        );
      }
      headers[name.toLowerCase()] = value;
    }
    for (const [name, value] of Object.entries(resources.fixedHeaders)) headers[name.toLowerCase()] = value;
    headers[config.idempotencyHeader.toLowerCase()] = message.id;

    await sendHttp({
      url,
      method: config.method,
      headers,
      ...(config.method === "GET"
        ? {}
        : { body: await requestBody(message, resources.body, scope, ctx.signal) }),
      timeoutMs: config.timeoutMs,
      signal: ctx.signal,
      target: `${config.method} ${url.origin}${url.pathname}`,
      secrets: resources.secrets,
    });
  },
});

function authHeader(auth: HttpOutAuth): { header: string; secrets: string[] } | undefined {
  switch (auth.type) {
    case "none":
      return undefined;
    case "bearer":
      return { header: `Bearer ${auth.token}`, secrets: [auth.token] };
    case "basic": {
      const encoded = Buffer.from(`${auth.username}:${auth.password}`).toString("base64");
      return { header: `Basic ${encoded}`, secrets: [auth.password, encoded] };
    }
  }
}

function renderUrl(template: Template, scope: TemplateScope, message: Message): URL {
  const text = template.render(scope, encodeURIComponent);
  // URL.parse is newer than the Node versions we support (>= 20.11).
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new FatalError(`message ${message.id}: url renders to "${text}", which is not an http(s) URL`);
  }
  return url;
}

async function requestBody(
  message: Message,
  template: JsonTemplate | undefined,
  scope: TemplateScope,
  signal: AbortSignal,
): Promise<Uint8Array | string | AsyncIterable<Uint8Array>> {
  if (template) return JSON.stringify(template.render(scope));
  // A claim-checked body can be far larger than memory allows: stream it from the blob store.
  if (message.isReference) return message.stream({ signal });
  return message.bytes({ signal });
}
