import type { ConfigIssue } from "@vrsky/sdk";
import { isSecretRef, looksLikeSecretRef, type SecretRef } from "./secret-ref.js";
import { type PathSegment, type SpecPositions, specIssue } from "./spec-issues.js";

/** Where `{ $secret: key }` references are looked up. */
export interface SecretSource {
  /**
   * The secret's value, or `undefined` when it is not set.
   * @param key - the key from `{ $secret: key }`
   */
  get(key: string): Promise<string | undefined>;
  /**
   * How to set a missing secret, shown in the error, e.g. "set the environment variable
   * VRSKY_SECRET_SLACK_ORDERS".
   * @param key - the missing key
   */
  hint?(key: string): string;
}

/** Environment variables, e.g. `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * A {@link SecretSource} that reads secrets from environment variables: key `slack-orders` is
 * read from `VRSKY_SECRET_SLACK_ORDERS` (upper-cased, every other character → `_`). For local
 * runs; the platform passes its secret store instead.
 *
 * @param env - the variables @default process.env
 * @param prefix - prepended to the variable name @default "VRSKY_SECRET_"
 * @example
 * ```ts
 * const secrets = envSecretSource({ VRSKY_SECRET_SLACK_ORDERS: "https://hooks.slack.com/…" });
 * await secrets.get("slack-orders");
 * ```
 */
export function envSecretSource(env: Env = process.env, prefix = "VRSKY_SECRET_"): SecretSource {
  const variable = (key: string): string => `${prefix}${key.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
  return {
    get: (key) => Promise.resolve(env[variable(key)]),
    hint: (key) => `set the environment variable ${variable(key)}`,
  };
}

/** Options of {@link resolveSecretRefs}. */
export interface ResolveSecretRefsOptions {
  /** Path of the config in the spec, e.g. `["sinks", "db", "config"]`; prefixes every issue. */
  path: readonly PathSegment[];
  /** The connector's secret paths (`connectorSecretPaths`), dotted with `*` wildcards. */
  secretPaths: readonly string[];
  /** Where `{ $env: NAME }` is read. */
  env: Env;
  /** Where `{ $secret: key }` is read. */
  secrets: SecretSource;
  /** Positions of the spec, for line numbers. */
  positions?: SpecPositions;
}

/** The outcome of {@link resolveSecretRefs}. */
export interface ResolvedSecretRefs {
  /** The config with every reference replaced by its value. */
  config: unknown;
  /**
   * Dotted paths (`*` for array items) of every replaced reference, relative to the config:
   * redact them as well as the connector's secret fields.
   */
  refPaths: string[];
  /** Inline values in secret fields, unset variables and missing secrets. Empty when all is well. */
  issues: ConfigIssue[];
}

/**
 * Replaces the `{ $env }` and `{ $secret }` references in a step's raw config with their
 * values, and checks that every field the connector marks secret holds a reference rather
 * than an inline value. Never throws for a user mistake: problems come back as issues, so the
 * caller can report them with everything else. Values never appear in an issue.
 *
 * @param raw - the step's config as written in the spec
 * @param options - where the config sits, the connector's secret paths, and the sources
 */
export async function resolveSecretRefs(
  raw: unknown,
  options: ResolveSecretRefsOptions,
): Promise<ResolvedSecretRefs> {
  const issues = findInlineSecrets(raw, options);
  const refs: { path: PathSegment[]; ref: SecretRef }[] = [];
  const collect = (node: unknown, path: PathSegment[]): void => {
    if (isSecretRef(node)) refs.push({ path, ref: node });
    else if (Array.isArray(node))
      node.forEach((item, i) => {
        collect(item, [...path, i]);
      });
    else if (isRecord(node)) for (const [key, child] of Object.entries(node)) collect(child, [...path, key]);
  };
  collect(raw, []);
  const outcomes = await Promise.all(refs.map(({ ref }) => lookUp(ref, options)));
  const values = new Map<unknown, string>();
  refs.forEach(({ path, ref }, i) => {
    const outcome = outcomes[i];
    if (outcome === undefined) return;
    if (outcome.ok) values.set(ref, outcome.value);
    else issues.push(specIssue([...options.path, ...path], outcome.message, options.positions));
  });
  return {
    config: substitute(raw, values),
    refPaths: [
      ...new Set(refs.map(({ path }) => path.map((s) => (typeof s === "number" ? "*" : s)).join("."))),
    ],
    issues,
  };
}

type LookUp = { ok: true; value: string } | { ok: false; message: string };

async function lookUp(ref: SecretRef, options: ResolveSecretRefsOptions): Promise<LookUp> {
  if ("$env" in ref) {
    const value = options.env[ref.$env];
    return value === undefined
      ? { ok: false, message: `environment variable ${ref.$env} is not set: set it, or change the reference` }
      : { ok: true, value };
  }
  try {
    const value = await options.secrets.get(ref.$secret);
    if (value !== undefined) return { ok: true, value };
    const hint = options.secrets.hint?.(ref.$secret) ?? "add it to the secret store";
    return { ok: false, message: `secret "${ref.$secret}" is not set: ${hint}` };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      message: `secret "${ref.$secret}" could not be read (${reason}): check the secret store`,
    };
  }
}

// References are keyed by object identity: each `{ $env }` object in the raw config is unique.
function substitute(node: unknown, values: ReadonlyMap<unknown, string>): unknown {
  if (values.has(node)) return values.get(node);
  if (Array.isArray(node)) return node.map((item) => substitute(item, values));
  if (isRecord(node)) {
    return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, substitute(child, values)]));
  }
  return node;
}

function findInlineSecrets(raw: unknown, options: ResolveSecretRefsOptions): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const secretPath of options.secretPaths) {
    const pattern = secretPath === "" ? [] : secretPath.split(".");
    const visit = (node: unknown, rest: string[], path: PathSegment[]): void => {
      const [head, ...tail] = rest;
      if (head === undefined) {
        if (node !== undefined && node !== null && !looksLikeSecretRef(node)) {
          issues.push(
            specIssue(
              [...options.path, ...path],
              `secret field ${secretPath || "(the whole config)"} must be a reference such as { $env: NAME } or { $secret: key }, not an inline value: move the value out of the spec`,
              options.positions,
            ),
          );
        }
        return;
      }
      if (Array.isArray(node) && head === "*")
        node.forEach((item, i) => {
          visit(item, tail, [...path, i]);
        });
      else if (isRecord(node) && !looksLikeSecretRef(node)) {
        for (const [key, child] of Object.entries(node)) {
          if (head === "*" || head === key) visit(child, tail, [...path, key]);
        }
      }
    };
    visit(raw, pattern, []);
  }
  return issues;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
