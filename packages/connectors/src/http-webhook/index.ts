/**
 * The `http-webhook` consumer: HTTP webhooks in, messages out.
 * @packageDocumentation
 */
import { httpWebhook } from "./http-webhook.js";

export { DEFAULT_MAX_BODY_BYTES, HEALTH_PATH, HttpWebhookConfig, WebhookAuth } from "./config.js";
export { httpWebhook };
export default httpWebhook;
