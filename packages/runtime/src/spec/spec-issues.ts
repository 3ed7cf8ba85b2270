import type { ConfigIssue } from "@vrsky/sdk";
import type { z } from "zod";

/** One step of a path into a spec: an object key or an array index. */
export type PathSegment = string | number;

/** A 1-based line and column in a spec file. */
export interface SourcePosition {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/**
 * Finds where a path of a spec was written, so issues found after parsing (a step's config
 * rejected by its connector) still point at a line.
 */
export interface SpecPositions {
  /**
   * The position of the value at `path`, or of its deepest ancestor that exists (a missing
   * field points at its parent).
   * @param path - e.g. `["steps", 0, "config", "expression"]`
   */
  locate(path: readonly PathSegment[]): SourcePosition | undefined;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/**
 * Formats a path the way issues show it: keys joined by dots, indices in brackets.
 * @param path - the segments
 * @example
 * ```ts
 * formatPath(["steps", 0, "config", "expression"]); // "steps[0].config.expression"
 * ```
 */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/**
 * Builds a {@link ConfigIssue} at a path, with its line and column when positions are known.
 * @param path - where the problem is
 * @param message - what is wrong and how to fix it
 * @param positions - positions of the spec file, if it had any
 */
export function specIssue(
  path: readonly PathSegment[],
  message: string,
  positions?: SpecPositions,
): ConfigIssue {
  const position = positions?.locate(path);
  return {
    path: formatPath(path),
    message,
    ...(position === undefined ? {} : { line: position.line, column: position.column }),
  };
}

/**
 * Turns a zod error into spec issues: one per problem (one per unknown key), each with its
 * path, line and a message saying what is expected. Input values are never included, so a
 * rejected secret cannot leak into the message.
 *
 * @param error - the zod error
 * @param options - `prefix` to prepend to every path (e.g. `["steps", 0, "config"]`) and the
 *   spec's `positions`
 */
export function toSpecIssues(
  error: z.ZodError,
  options: { prefix?: readonly PathSegment[]; positions?: SpecPositions } = {},
): ConfigIssue[] {
  const prefix = options.prefix ?? [];
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.map(toSegment)];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) =>
        specIssue(
          [...path, key],
          `unknown field "${key}": remove it or check the spelling`,
          options.positions,
        ),
      );
    }
    return [specIssue(path, describeIssue(issue), options.positions)];
  });
}

function toSegment(key: PropertyKey): PathSegment {
  return typeof key === "number" ? key : String(key);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      // zod drops the input from issues unless asked (and we never ask, to keep secrets out),
      // so a missing field is recognised by its message.
      return issue.message.endsWith("received undefined")
        ? `required: expected ${issue.expected}`
        : withoutPrefix(issue.message);
    case "invalid_union": {
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      const detail = closest.map(
        (inner) => `${formatPath(inner.path.map(toSegment)) || "value"}: ${describeIssue(inner)}`,
      );
      return `matches none of the allowed forms${detail.length > 0 ? ` (closest: ${detail.join("; ")})` : ""}`;
    }
    case "invalid_key":
      return `invalid key: ${issue.issues.map(describeIssue).join("; ")}`;
    default:
      return withoutPrefix(issue.message);
  }
}

function withoutPrefix(message: string): string {
  return message.replace(/^Invalid (input|option): /, "");
}

/**
 * The issues in document order: those with a line first, by line and column, then the rest
 * in their original order.
 * @param issues - issues from any stage of parsing or resolving
 */
export function sortIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const key = (issue: ConfigIssue): number =>
    issue.line === undefined ? Number.POSITIVE_INFINITY : issue.line * 100_000 + (issue.column ?? 0);
  return [...issues].sort((a, b) => key(a) - key(b));
}
