import { z } from "@vrsky/sdk";

/** An HTTP header name (an RFC 9110 token), e.g. `Idempotency-Key` or `x-hub-signature-256`. */
export const HeaderName = z
  .string()
  .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, "expected an HTTP header name such as `X-Request-Id`");

/**
 * Whether a value can be sent as a header value: no CR, LF or NUL, which would let message data
 * inject extra headers.
 * @param value - a rendered header value
 */
export function isSafeHeaderValue(value: string): boolean {
  return !/[\r\n\0]/.test(value);
}
