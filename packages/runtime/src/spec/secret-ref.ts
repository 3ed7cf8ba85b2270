import { z } from "zod";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

/**
 * A reference to a value kept out of the spec: `{ $env: NAME }` reads an environment variable,
 * `{ $secret: key }` reads the secret store. Allowed anywhere in a step's `config`; required for
 * fields the connector marks `secret()`.
 * @example
 * ```yaml
 * config:
 *   url: { $env: DATABASE_URL }
 *   token: { $secret: slack-orders }
 * ```
 */
export const SecretRef = z.union([
  z.strictObject({
    $env: z.string().regex(ENV_NAME, {
      error: "expected an environment variable name such as DATABASE_URL (letters, digits, _)",
    }),
  }),
  z.strictObject({
    $secret: z.string().regex(SECRET_KEY, {
      error: "expected a secret key such as slack-orders (letters, digits, . _ / -)",
    }),
  }),
]);
/** A reference to a value kept out of the spec. */
export type SecretRef = z.infer<typeof SecretRef>;

/**
 * Whether a config value is a well-formed {@link SecretRef}.
 * @param value - any config value
 */
export function isSecretRef(value: unknown): value is SecretRef {
  return SecretRef.safeParse(value).success;
}

/**
 * Whether a config value is meant as a reference: an object with a `$env` or `$secret` key,
 * well-formed or not.
 * @param value - any config value
 */
export function looksLikeSecretRef(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && ("$env" in value || "$secret" in value);
}

/**
 * Reports every malformed reference inside a config value (e.g. `{ $env: 1 }` or
 * `{ $env: A, $secret: b }`), for use in a zod `superRefine`.
 * @param value - a raw step config
 * @param report - receives the path (relative to `value`) and the message of each problem
 */
export function checkSecretRefs(
  value: unknown,
  report: (path: (string | number)[], message: string) => void,
): void {
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (looksLikeSecretRef(node)) {
      if (!isSecretRef(node)) {
        report(
          path,
          "malformed reference: write exactly one of { $env: NAME } (an environment variable) or { $secret: key } (the secret store)",
        );
      }
      return;
    }
    if (Array.isArray(node))
      node.forEach((item, i) => {
        walk(item, [...path, i]);
      });
    else if (typeof node === "object" && node !== null) {
      for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
    }
  };
  walk(value, []);
}
