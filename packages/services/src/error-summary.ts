import { redactUrl } from "./redact-url.js";

/**
 * A one-paragraph, secret-free summary of an error for a problem line: its message (or an
 * AggregateError's inner messages), URLs redacted, cut to `maxChars`.
 *
 * @param error - anything thrown
 * @param maxChars - the longest summary returned @default 500
 * @returns the summary
 */
export function summarizeError(error: unknown, maxChars = 500): string {
  let message = error instanceof Error ? error.message : String(error);
  // pg and net report "refused on ::1 and 127.0.0.1" as an AggregateError with an empty message.
  if (error instanceof AggregateError && message === "") {
    message = error.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))).join("; ");
  }
  if (message === "" && error instanceof Error) message = error.name;
  const text = redactUrl(message.trim().replace(/\s*\n\s*/g, " | "));
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}
