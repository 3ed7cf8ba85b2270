import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { WebhookAuth } from "./config.js";

/** Checks one request's credentials. Never logs or echoes the key, secret or signature. */
export interface RequestAuthenticator {
  /** Whether the body must be buffered before the request can be authenticated. */
  readonly needsBody: boolean;
  /**
   * Checks the credentials that can be checked before the body is read: the presence of the
   * signature header, or the whole API key.
   * @param header - reads a request header
   */
  checkHeaders(header: (name: string) => string | undefined): boolean;
  /**
   * Checks the credentials that need the raw body (the HMAC); `true` when none do.
   * @param header - reads a request header
   * @param body - the raw request body
   */
  checkBody(header: (name: string) => string | undefined, body: Uint8Array): boolean;
}

/**
 * Builds the authenticator for an `auth` config. Comparisons run in constant time, so response
 * timing reveals nothing about the expected key or signature.
 * @param auth - the parsed `auth` config
 * @example
 * ```ts
 * const auth = requestAuthenticator({ type: "hmac", header: "x-hub-signature-256", algorithm: "sha256",
 *   prefix: "sha256=", encoding: "hex", secret });
 * auth.checkBody((name) => req.headers[name], rawBody); // true when the signature matches
 * ```
 */
export function requestAuthenticator(auth: WebhookAuth): RequestAuthenticator {
  switch (auth.type) {
    case "none":
      return { needsBody: false, checkHeaders: () => true, checkBody: () => true };
    case "api-key": {
      const header = auth.header.toLowerCase();
      // Comparing digests keeps the comparison constant-time even when lengths differ.
      const expected = sha256(auth.key);
      return {
        needsBody: false,
        checkHeaders: (read) => {
          const given = read(header);
          return given !== undefined && timingSafeEqual(sha256(given), expected);
        },
        checkBody: () => true,
      };
    }
    case "hmac": {
      const header = auth.header.toLowerCase();
      // Hex digits may come in either case; base64 is case-sensitive.
      const normalise =
        auth.encoding === "hex" ? (text: string) => text.toLowerCase() : (text: string) => text;
      const prefix = normalise(auth.prefix);
      return {
        needsBody: true,
        checkHeaders: (read) => read(header) !== undefined,
        checkBody: (read, body) => {
          const given = read(header);
          if (given === undefined) return false;
          const digest = createHmac(auth.algorithm, auth.secret).update(body).digest(auth.encoding);
          const expected = Buffer.from(`${prefix}${digest}`);
          const actual = Buffer.from(normalise(given.trim()));
          return actual.byteLength === expected.byteLength && timingSafeEqual(actual, expected);
        },
      };
    }
  }
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
