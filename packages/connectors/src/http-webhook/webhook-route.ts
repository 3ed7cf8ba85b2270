import {
  BINARY_CONTENT_TYPE,
  type BodyInit,
  type ConnectorContext,
  describeError,
  type Emit,
  RetryableError,
} from "@vrsky/sdk";
import type { FastifyReply, FastifyRequest } from "fastify";
import { formatRetryAfter } from "../http-shared/retry-after.js";
import type { HttpWebhookConfig } from "./config.js";
import { BodyTooLargeError, limitedBody, readBody } from "./request-body.js";
import { requestAuthenticator } from "./webhook-auth.js";
import type { WebhookRoute } from "./webhook-server.js";

/** A webhook step's route plus what its `start` needs to stop it cleanly. */
export interface WebhookEndpoint {
  /** The route to mount. */
  readonly route: WebhookRoute;
  /** Answers new requests with 503 from now on (the step is stopping). */
  stopAccepting(): void;
  /**
   * Resolves once no request is waiting for acceptance, or after `deadlineMs`.
   * @returns whether everything drained in time
   */
  drained(deadlineMs: number): Promise<boolean>;
}

/** Outcome label of one request, recorded as the `outcome` metric label. */
type Outcome =
  | "accepted"
  | "duplicate"
  | "unauthorized"
  | "too_large"
  | "busy"
  | "unavailable"
  | "failed"
  | "client_gone";

/**
 * Builds the handler of one webhook step: authenticate, bound the body, emit, and answer only
 * after the runtime durably accepted the message.
 *
 * | situation | answer |
 * |---|---|
 * | accepted (or a duplicate of an accepted delivery) | `responseStatus` with `{ id, duplicate }` |
 * | missing or wrong credentials | 401 |
 * | body over `maxBodyBytes` | 413 |
 * | more than `maxInFlight` requests waiting | 429 + `Retry-After: 1` |
 * | `emit` rejected with `RetryableError` (runtime full or stopping), step stopping | 503 + `Retry-After` |
 * | anything else | 500, generic message (details only in the log) |
 *
 * @param ctx - the step's context (config, logger, metrics)
 * @param emit - hands messages to the runtime
 */
export function createWebhookEndpoint(
  ctx: ConnectorContext<HttpWebhookConfig, unknown>,
  emit: Emit,
): WebhookEndpoint {
  const { config, logger, metrics } = ctx;
  const auth = requestAuthenticator(config.auth);
  const keyHeader = config.idempotencyHeader.toLowerCase();
  const forwarded = config.forwardHeaders.map((name) => name.toLowerCase());
  let inFlight = 0;
  let stopping = false;
  let onIdle: (() => void) | undefined;

  const finish = async (
    reply: FastifyReply,
    outcome: Outcome,
    status: number,
    body?: unknown,
  ): Promise<void> => {
    metrics.increment("webhook_requests", 1, { outcome });
    if (reply.raw.destroyed) return;
    await reply.code(status).send(body);
  };
  const retryLater = async (reply: FastifyReply, outcome: Outcome, status: 429 | 503, afterMs?: number) => {
    reply.header("retry-after", formatRetryAfter(afterMs));
    await finish(reply, outcome, status, {
      error: status === 429 ? "too many requests in flight" : "temporarily unavailable",
    });
  };

  const handle = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (stopping) return retryLater(reply, "unavailable", 503);
    if (inFlight >= config.maxInFlight) return retryLater(reply, "busy", 429);
    const header = (name: string): string | undefined => headerValue(request.headers[name]);
    if (!auth.checkHeaders(header)) return finish(reply, "unauthorized", 401, { error: "unauthorized" });
    const declared = Number(request.headers["content-length"]);
    if (Number.isFinite(declared) && declared > config.maxBodyBytes) {
      return finish(reply, "too_large", 413, { error: `body exceeds ${config.maxBodyBytes} bytes` });
    }

    inFlight++;
    try {
      let body: BodyInit;
      if (auth.needsBody) {
        body = await readBody(request.raw, config.maxBodyBytes);
        if (!auth.checkBody(header, body))
          return await finish(reply, "unauthorized", 401, { error: "unauthorized" });
      } else {
        // Streamed, so the runtime can move a large body to the blob store without holding it all.
        body = limitedBody(request.raw, config.maxBodyBytes);
      }
      const headers: Record<string, string> = {};
      for (const name of forwarded) {
        const value = header(name);
        if (value !== undefined) headers[name] = value;
      }
      const key = header(keyHeader)?.trim();
      const result = await emit({
        body,
        contentType: header("content-type") ?? BINARY_CONTENT_TYPE,
        headers,
        ...(key ? { key } : {}),
      });
      const answer =
        config.responseStatus === 204 ? undefined : { id: result.id, duplicate: result.duplicate };
      await finish(reply, result.duplicate ? "duplicate" : "accepted", config.responseStatus, answer);
    } catch (error) {
      if (isBodyTooLarge(error)) {
        await finish(reply, "too_large", 413, { error: `body exceeds ${config.maxBodyBytes} bytes` });
      } else if (request.raw.socket.destroyed) {
        // The sender hung up (mid-body, or while waiting): there is nobody left to answer.
        metrics.increment("webhook_requests", 1, { outcome: "client_gone" });
      } else if (error instanceof RetryableError) {
        await retryLater(reply, "unavailable", 503, error.retryAfterMs);
      } else {
        logger.error({ err: describeError(error), path: config.path }, "webhook request failed");
        await finish(reply, "failed", 500, { error: "internal error" });
      }
    } finally {
      inFlight--;
      if (inFlight === 0) onIdle?.();
    }
  };

  return {
    route: { methods: new Set(config.methods), handle },
    stopAccepting() {
      stopping = true;
    },
    async drained(deadlineMs) {
      if (inFlight === 0) return true;
      let timer: NodeJS.Timeout | undefined;
      const idle = new Promise<boolean>((resolve) => {
        onIdle = () => resolve(true);
        timer = setTimeout(() => resolve(false), deadlineMs);
      });
      try {
        return await idle;
      } finally {
        clearTimeout(timer);
        onIdle = undefined;
      }
    },
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

// The runtime may wrap what the body stream threw; look through the cause chain for it.
function isBodyTooLarge(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof BodyTooLargeError) return true;
    current = current.cause;
  }
  return false;
}
