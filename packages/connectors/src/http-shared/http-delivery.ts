import { FatalError, RetryableError, VrskyError } from "@vrsky/sdk";
import { parseRetryAfter } from "./retry-after.js";
import { scrubSecrets } from "./secret-scrub.js";

/** Longest excerpt of a response body quoted in an error message. */
export const EXCERPT_CHARS = 200;
// Enough bytes for EXCERPT_CHARS of any UTF-8 text; the rest of the body is never read.
const EXCERPT_BYTES = EXCERPT_CHARS * 4;
// A success response is drained up to this so its connection can be reused; beyond, dropped.
const DRAIN_BYTES = 64 * 1024;

/** Statuses worth another attempt besides 5xx: timeout, too early, too many requests. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 425, 429]);

/** One outgoing HTTP request and how its failures are described. */
export interface HttpRequest {
  /** The target URL. */
  url: URL;
  /** The HTTP method. */
  method: string;
  /** Request headers. */
  headers: Record<string, string>;
  /** The body: bytes or text, or a stream (sent chunked with `duplex: "half"`, never buffered). */
  body?: Uint8Array | string | AsyncIterable<Uint8Array>;
  /** Abort the request (and the response read) after this long. */
  timeoutMs: number;
  /** The step's signal: aborting it abandons the request. */
  signal: AbortSignal;
  /** How errors name the target, e.g. `POST https://api.example.com/orders`. Must hold no secrets. */
  target: string;
  /** Values removed from anything quoted in an error (response excerpts, network errors). */
  secrets: readonly string[];
  /**
   * Builds the message of the `FatalError` for a rejecting status (4xx but 408, 425, 429).
   * @default "<target> rejected the request with HTTP <status>: <excerpt> …"
   */
  describeRejection?: (status: number, excerpt: string) => string;
}

/** A request the target accepted. */
export interface HttpResponseSummary {
  /** The 2xx status. */
  status: number;
}

/**
 * Sends one request and classifies the outcome the way every HTTP sink needs:
 *
 * | outcome | result |
 * |---|---|
 * | 2xx | resolves |
 * | 408, 425, 429, 5xx | `RetryableError`, `retryAfterMs` from `Retry-After` |
 * | network error, timeout, step stopping | `RetryableError` |
 * | 3xx, other 4xx | `FatalError` with the status and ≤ 200 characters of the body |
 *
 * Redirects are not followed: a streamed body cannot be replayed to the new location, and
 * credentials must not travel to a host nobody configured.
 *
 * @param request - the request, its timeout, signal and secrets
 * @throws RetryableError for failures another attempt may fix
 * @throws FatalError for rejections, and re-throws a `VrskyError` raised while reading the body
 *   (for example `BLOB_NOT_FOUND` for an expired claim-check reference)
 * @example
 * ```ts
 * await sendHttp({ url, method: "POST", headers, body, timeoutMs: 10_000, signal: ctx.signal,
 *   target: `POST ${url.origin}${url.pathname}`, secrets: [token] });
 * ```
 */
export async function sendHttp(request: HttpRequest): Promise<HttpResponseSummary> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), request.timeoutMs);
  const signal = AbortSignal.any([timeout.signal, request.signal]);
  const failed = (error: unknown): VrskyError => {
    if (timeout.signal.aborted) {
      return new RetryableError(`${request.target} timed out after ${request.timeoutMs} ms`);
    }
    if (request.signal.aborted)
      return new RetryableError(`${request.target} was abandoned: the step is stopping`);
    return requestFailure(error, request);
  };
  try {
    let response: Response;
    try {
      const streamed =
        request.body !== undefined && typeof request.body !== "string" && !isBytes(request.body);
      response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        signal,
        redirect: "manual",
        ...(request.body === undefined ? {} : { body: request.body }),
        ...(streamed ? { duplex: "half" } : {}),
      });
    } catch (error) {
      throw failed(error);
    }
    if (response.status >= 200 && response.status < 300) {
      await drain(response);
      return { status: response.status };
    }
    let excerpt: string;
    try {
      excerpt = scrubSecrets(await readExcerpt(response), request.secrets);
    } catch (error) {
      throw failed(error);
    }
    throw classifyStatus(response, excerpt, request);
  } finally {
    clearTimeout(timer);
  }
}

function classifyStatus(response: Response, excerpt: string, request: HttpRequest): VrskyError {
  const { status } = response;
  const quoted = excerpt === "" ? "" : `: ${excerpt}`;
  if (status >= 500 || RETRYABLE_STATUSES.has(status)) {
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    return new RetryableError(
      `${request.target} answered HTTP ${status}${quoted}`,
      retryAfterMs === undefined ? {} : { retryAfterMs },
    );
  }
  if (request.describeRejection) return new FatalError(request.describeRejection(status, excerpt));
  if (status >= 300 && status < 400) {
    const location = scrubSecrets(
      response.headers.get("location") ?? "(no Location header)",
      request.secrets,
    );
    return new FatalError(
      `${request.target} answered HTTP ${status} redirecting to ${location}: redirects are not followed — ` +
        "configure the final URL",
    );
  }
  return new FatalError(
    `${request.target} rejected the request with HTTP ${status}${quoted} — the target will not accept this ` +
      "message as sent: fix the message or the connector config (retrying will not help)",
  );
}

function requestFailure(error: unknown, request: HttpRequest): VrskyError {
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    if (cause instanceof VrskyError) return cause;
    cause = cause.cause;
  }
  const reason = scrubSecrets(networkReason(error), request.secrets);
  const cause = new Error(reason);
  cause.name = error instanceof Error ? error.name : "NonError";
  return new RetryableError(`${request.target} failed: ${reason}`, { cause });
}

function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch wraps the socket error ("fetch failed"); the cause says what actually happened.
  const { cause } = error;
  if (cause instanceof Error) {
    const code = Reflect.get(cause, "code");
    return typeof code === "string" && !cause.message.includes(code)
      ? `${code} ${cause.message}`
      : cause.message;
  }
  return error.message;
}

function isBytes(body: unknown): body is Uint8Array {
  return body instanceof Uint8Array;
}

async function readExcerpt(response: Response): Promise<string> {
  const bytes = await readUpTo(response, EXCERPT_BYTES);
  const text = new TextDecoder().decode(bytes).replace(/\s+/g, " ").trim();
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS - 1)}…` : text;
}

async function drain(response: Response): Promise<void> {
  try {
    await readUpTo(response, DRAIN_BYTES);
  } catch {
    // The target accepted the request; a body that breaks off afterwards changes nothing.
  }
}

async function readUpTo(response: Response, limit: number): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const out = new Uint8Array(Math.min(size, limit));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, out.byteLength - offset);
    out.set(part, offset);
    offset += part.byteLength;
    if (offset >= out.byteLength) break;
  }
  return out;
}
