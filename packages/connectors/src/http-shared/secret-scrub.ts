import { REDACTED } from "@vrsky/sdk";

// Shorter values would redact ordinary words; real credentials are longer than this.
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of a secret (raw or URL-encoded) in a text with `[redacted]`. Used
 * on anything a remote system or a network library wrote before it reaches an error message:
 * a server may echo the `Authorization` header back, an error may quote the URL.
 *
 * @param text - text from outside (a response body excerpt, a network error message)
 * @param secrets - values that must never appear: tokens, passwords, webhook URLs
 * @example
 * ```ts
 * scrubSecrets("bad token s3cr3t-value", ["s3cr3t-value"]); // "bad token [redacted]"
 * ```
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    out = out.replaceAll(secret, REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.replaceAll(encoded, REDACTED);
  }
  return out;
}
