import type { ProblemIssue } from "./problem.js";

/** Kinds of config schema change that break existing configs. */
export const BREAKING_KINDS = [
  "removed-property",
  "newly-required",
  "changed-type",
  "narrowed-enum",
] as const;
/** A kind of breaking config schema change. */
export type BreakingKind = (typeof BREAKING_KINDS)[number];

/** One breaking change between two config JSON Schemas. */
export interface BreakingChange {
  /** What changed. */
  kind: BreakingKind;
  /** Dotted property path, e.g. `auth.token`; empty for the root. */
  path: string;
  /** Human explanation. */
  message: string;
}

type Node = Record<string, unknown>;

function asNode(value: unknown): Node | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Node) : undefined;
}

function types(node: Node): string[] | undefined {
  const t = node.type;
  if (typeof t === "string") return t === "number" ? ["number", "integer"] : [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === "string");
  return undefined;
}

function label(path: string): string {
  return path === "" ? "the config root" : `property "${path}"`;
}

/**
 * Lists the changes from `before` to `after` that can make a config valid under `before`
 * invalid under `after`: removed properties, newly required properties, changed types and
 * narrowed enums, recursively through `properties` and `items`.
 *
 * @param before - config JSON Schema of the published version
 * @param after - config JSON Schema of the candidate version
 * @returns every breaking change found; empty when `after` accepts what `before` did
 * @example
 * ```ts
 * diffConfigSchemas({ type: "object", properties: { a: { type: "string" } } }, { type: "object" });
 * // [{ kind: "removed-property", path: "a", … }]
 * ```
 */
export function diffConfigSchemas(before: unknown, after: unknown): BreakingChange[] {
  const changes: BreakingChange[] = [];
  walk(asNode(before) ?? {}, asNode(after) ?? {}, "", changes);
  return changes;
}

function walk(before: Node, after: Node, path: string, out: BreakingChange[]): void {
  const oldTypes = types(before);
  const newTypes = types(after);
  if (oldTypes !== undefined && newTypes !== undefined) {
    const lost = oldTypes.filter(
      (t) => !newTypes.includes(t) && !(t === "integer" && newTypes.includes("number")),
    );
    if (lost.length > 0) {
      out.push({
        kind: "changed-type",
        path,
        message: `${label(path)} changed type from ${String(before.type)} to ${String(after.type)}`,
      });
      return;
    }
  }
  if (Array.isArray(after.enum)) {
    const allowed = after.enum.map((v) => JSON.stringify(v));
    const removed = Array.isArray(before.enum)
      ? before.enum.filter((v) => !allowed.includes(JSON.stringify(v)))
      : undefined;
    if (removed === undefined) {
      out.push({ kind: "narrowed-enum", path, message: `${label(path)} is now restricted to an enum` });
    } else if (removed.length > 0) {
      out.push({
        kind: "narrowed-enum",
        path,
        message: `${label(path)} no longer accepts ${removed.map((v) => JSON.stringify(v)).join(", ")}`,
      });
    }
  }
  const oldProps = asNode(before.properties) ?? {};
  const newProps = asNode(after.properties) ?? {};
  const oldRequired = new Set(Array.isArray(before.required) ? before.required : []);
  const newRequired = Array.isArray(after.required)
    ? after.required.filter((r) => typeof r === "string")
    : [];
  const join = (key: string) => (path === "" ? key : `${path}.${key}`);
  for (const key of Object.keys(oldProps)) {
    if (!(key in newProps)) {
      out.push({ kind: "removed-property", path: join(key), message: `${label(join(key))} was removed` });
    }
  }
  for (const key of newRequired) {
    if (!oldRequired.has(key)) {
      out.push({ kind: "newly-required", path: join(key), message: `${label(join(key))} is now required` });
    }
  }
  for (const [key, value] of Object.entries(newProps)) {
    const old = asNode(oldProps[key]);
    const next = asNode(value);
    if (old !== undefined && next !== undefined) walk(old, next, join(key), out);
  }
  const oldItems = asNode(before.items);
  const newItems = asNode(after.items);
  if (oldItems !== undefined && newItems !== undefined) walk(oldItems, newItems, `${path}[]`, out);
}

/**
 * Formats breaking changes as problem issues (path under `manifest.config`).
 * @param changes - from {@link diffConfigSchemas}
 */
export function breakingIssues(changes: BreakingChange[]): ProblemIssue[] {
  return changes.map((c) => ({
    path: c.path === "" ? "manifest.config" : `manifest.config.${c.path}`,
    message: `${c.kind}: ${c.message}`,
  }));
}
