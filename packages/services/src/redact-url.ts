/** The mask that replaces a secret. */
const MASK = "***";

/** Query parameters whose values are secrets (`password`, `sslpassword`, `token`, `X-Amz-Signature`, …). */
const SECRET_PARAM = /pass|secret|token|key|auth|credential|signature/i;

/** `scheme://userinfo@` in text that is not a single URL (a NATS server list, a log line). */
const USERINFO = /([a-z][\w+.-]*:\/\/)([^/@\s,]+)@/gi;

/**
 * Hides the credentials of a URL so it can be logged or shown in an error. A password becomes
 * `***` (the user name stays, it helps debugging); a user name without a password becomes `***`
 * too, because NATS and others carry tokens there; query parameters that usually hold secrets
 * are masked. A comma-separated server list, or text that is not a URL, has every
 * `scheme://user:pass@` masked. A URL without secrets is returned unchanged.
 *
 * @param url - any URL, possibly with credentials
 * @returns the URL without secrets
 * @example
 * ```ts
 * redactUrl("postgres://app:s3cret@db:5432/app"); // "postgres://app:***@db:5432/app"
 * redactUrl("nats://s3cr3t-token@nats:4222"); // "nats://***@nats:4222"
 * ```
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactText(url);
  }
  let changed = false;
  if (parsed.password !== "") {
    parsed.password = MASK;
    changed = true;
  } else if (parsed.username !== "") {
    parsed.username = MASK;
    changed = true;
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAM.test(key)) {
      parsed.searchParams.set(key, MASK);
      changed = true;
    }
  }
  return changed ? parsed.toString() : url;
}

function redactText(text: string): string {
  return text.replace(USERINFO, (_match, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(":");
    return colon === -1 ? `${scheme}${MASK}@` : `${scheme}${userinfo.slice(0, colon)}:${MASK}@`;
  });
}
