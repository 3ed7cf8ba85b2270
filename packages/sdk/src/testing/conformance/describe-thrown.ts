import { describeError } from "../../errors.js";

/**
 * A one-line description of a thrown value for a check's message: its class and message,
 * shortened, never its stack.
 * @param error - anything thrown
 */
export function describeThrown(error: unknown): string {
  const { name, message } = describeError(error);
  const oneLine = message.replace(/\s*\n\s*/g, "; ");
  return `${name}: ${oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine}`;
}
