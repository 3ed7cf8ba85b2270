import { defineConsumer } from "@vrsky/sdk";
import { HttpWebhookConfig } from "./config.js";
import { createWebhookEndpoint } from "./webhook-route.js";
import { mountRoute } from "./webhook-server.js";

// How long a stopping step waits for requests already waiting on emit; the runtime rejects
// emits once it stops, so they finish fast, and the stop deadline stays well above this.
const DRAIN_MS = 1000;

/**
 * `http-webhook`: receives webhooks over HTTP and emits each request body as a message.
 *
 * Every webhook step of a worker process with the same `host` and `port` shares one fastify
 * server, each on its own `path`; the first to start opens the port, the last to stop closes
 * it, and `GET /healthz` reports the number of paths served. Any number of workers may serve
 * the same endpoint behind a load balancer (`singleton: false`).
 *
 * A request is answered only after `emit` resolved, that is after the runtime stored the
 * message durably, so a 2xx means "will be processed". The delivery id header becomes the
 * message key, so a sender's redelivery is accepted once and answered `duplicate: true`.
 *
 * @example
 * ```yaml
 * source:
 *   connector: http-webhook
 *   config:
 *     path: /hooks/github
 *     auth: { type: hmac, secret: { $env: GITHUB_WEBHOOK_SECRET } }
 * ```
 */
export const httpWebhook = defineConsumer<HttpWebhookConfig>({
  name: "http-webhook",
  version: "1.0.0",
  description: "Receives webhooks over HTTP (API-key or HMAC-signed) and emits each request as a message.",
  categories: ["http", "webhook"],
  icon: "webhook",
  singleton: false,
  config: HttpWebhookConfig,
  examples: [
    {
      title: "Internal system with an API key",
      config: { path: "/hooks/erp", auth: { type: "api-key", header: "x-api-key", key: "<api key>" } },
    },
    {
      title: "GitHub webhook with an HMAC signature",
      config: {
        path: "/hooks/github",
        auth: { type: "hmac", secret: "<webhook secret>" },
      },
    },
    {
      title: "Shopify orders (base64 HMAC), on port 9000",
      config: {
        port: 9000,
        path: "/hooks/shopify/orders",
        auth: {
          type: "hmac",
          header: "x-shopify-hmac-sha256",
          prefix: "",
          encoding: "base64",
          secret: "<secret>",
        },
        idempotencyHeader: "x-shopify-webhook-id",
        forwardHeaders: ["content-type", "x-shopify-topic", "x-shopify-shop-domain"],
        maxBodyBytes: 1_048_576,
      },
    },
  ],
  async start(ctx, emit) {
    const { host, port, path } = ctx.config;
    const endpoint = createWebhookEndpoint(ctx, emit);
    const unmount = await mountRoute({ host, port, path }, endpoint.route);
    ctx.logger.info({ host, port, path }, "webhook endpoint listening");
    try {
      await aborted(ctx.signal);
    } finally {
      endpoint.stopAccepting();
      if (!(await endpoint.drained(DRAIN_MS))) {
        ctx.logger.warn({ path, drainMs: DRAIN_MS }, "webhook requests still waiting at stop; closing them");
      }
      await unmount();
    }
  },
});

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
