import { z } from "zod";
import { ConfigError, type ConfigIssue } from "./errors.js";

/** JSON Schema keyword VRSky adds to fields marked with {@link secret}. */
export const SECRET_KEYWORD = "x-vrsky-secret";

/** The text that replaces a secret value wherever a config is shown. */
export const REDACTED = "[redacted]";

/** A JSON Schema document, as produced from a zod schema. */
export type JsonSchema = { [keyword: string]: unknown };

/**
 * Marks a config field as secret: it is redacted in logs, errors, status output and manifests,
 * written as `writeOnly` in the JSON Schema, and integration specs must give it as a reference
 * (an environment variable or secret-store key), never inline.
 *
 * @param schema - the field's schema, usually `z.string()`
 * @returns the same schema, marked
 * @example
 * ```ts
 * const Config = z.object({ url: z.url(), token: secret(z.string().min(1)) });
 * ```
 */
export function secret<T extends z.ZodType>(schema: T): T {
  return schema.meta({ [SECRET_KEYWORD]: true, writeOnly: true }) as T;
}

/**
 * The JSON Schema (draft 2020-12) of a config schema, describing its input as a user writes it.
 * @param schema - a zod schema
 */
export function configJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

/**
 * Paths of every secret field in a JSON Schema, dotted, with `*` for array items and map
 * values (e.g. `auth.secret`, `headers.*`).
 * @param schema - JSON Schema produced by {@link configJsonSchema}
 */
export function secretPaths(schema: JsonSchema): string[] {
  const found = new Set<string>();
  const defs = (schema.$defs ?? {}) as Record<string, JsonSchema>;
  const walk = (node: unknown, path: string[], seen: Set<unknown>): void => {
    if (!isRecord(node) || seen.has(node)) return;
    const next = new Set(seen).add(node);
    if (node[SECRET_KEYWORD] === true) found.add(path.join("."));
    if (typeof node.$ref === "string" && node.$ref.startsWith("#/$defs/")) {
      walk(defs[node.$ref.slice("#/$defs/".length)], path, next);
    }
    if (isRecord(node.properties)) {
      for (const [key, child] of Object.entries(node.properties)) walk(child, [...path, key], next);
    }
    if (isRecord(node.additionalProperties)) walk(node.additionalProperties, [...path, "*"], next);
    if (isRecord(node.items)) walk(node.items, [...path, "*"], next);
    for (const keyword of ["anyOf", "oneOf", "allOf"]) {
      const options = node[keyword];
      if (Array.isArray(options)) for (const option of options) walk(option, path, next);
    }
  };
  walk(schema, [], new Set());
  return [...found].sort();
}

/**
 * A deep copy of `value` with every field at a secret path replaced by {@link REDACTED}.
 * Safe to log or print.
 * @param value - a config (parsed or raw)
 * @param paths - secret paths from {@link secretPaths}
 */
export function redact<T>(value: T, paths: readonly string[]): T {
  if (paths.length === 0) return value;
  const split = paths.map((p) => (p === "" ? [] : p.split(".")));
  const visit = (node: unknown, remaining: string[][]): unknown => {
    if (remaining.some((p) => p.length === 0)) return node === undefined ? node : REDACTED;
    if (Array.isArray(node)) {
      const rest = remaining.filter((p) => p[0] === "*").map((p) => p.slice(1));
      return rest.length === 0 ? node : node.map((item) => visit(item, rest));
    }
    if (!isRecord(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) {
      const rest = remaining.filter((p) => p[0] === key || p[0] === "*").map((p) => p.slice(1));
      out[key] = rest.length === 0 ? child : visit(child, rest);
    }
    return out;
  };
  return visit(value, split) as T;
}

/** Options for {@link parseConfig}. */
export interface ParseConfigOptions {
  /** Where the config came from (file, step, flag); shown in the error. */
  where?: string;
  /** Prefix for every issue path, e.g. `steps.0.config`. */
  pathPrefix?: string;
}

/**
 * Validates a raw config against a schema and returns the typed value.
 *
 * @param schema - the connector's (or integration's) zod schema
 * @param raw - the untrusted input
 * @param options - where it came from, for the error message
 * @throws ConfigError listing every problem with its field path and what was expected
 */
export function parseConfig<T>(schema: z.ZodType<T>, raw: unknown, options: ParseConfigOptions = {}): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(
    toConfigIssues(result.error, options.pathPrefix),
    options.where ? { where: options.where, cause: result.error } : { cause: result.error },
  );
}

/**
 * Turns a zod error into {@link ConfigIssue}s: one per problem, with a dotted path and a
 * message that says what was expected. Never includes the offending value.
 * @param error - the zod error
 * @param pathPrefix - prepended to every path
 */
export function toConfigIssues(error: z.ZodError, pathPrefix?: string): ConfigIssue[] {
  return error.issues.map((issue) => {
    const path = [...(pathPrefix ? [pathPrefix] : []), ...issue.path.map(String)].join(".");
    return { path, message: describeIssue(issue) };
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? `required: expected ${issue.expected}` : issue.message;
    case "unrecognized_keys":
      return `unknown field${issue.keys.length === 1 ? "" : "s"} ${issue.keys.map((k) => `"${k}"`).join(", ")}: remove ${issue.keys.length === 1 ? "it" : "them"} or check the spelling`;
    default:
      return issue.message;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
