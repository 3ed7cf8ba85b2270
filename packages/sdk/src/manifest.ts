import { z } from "zod";
import { configJsonSchema, type JsonSchema, redact, secretPaths } from "./config.js";
import type { Connector } from "./connector.js";

/** Version of the manifest format written by {@link connectorManifest}. */
export const MANIFEST_VERSION = 1;

/**
 * A connector's manifest: everything the CLI, the registry and the docs need to know about a
 * connector without running it. One config schema drives validation, docs, prompts and redaction.
 */
export const ConnectorManifest = z.object({
  /** Manifest format version. */
  manifestVersion: z.literal(MANIFEST_VERSION),
  /** Connector kind. */
  kind: z.enum(["consumer", "producer", "converter", "filter"]),
  /** Connector name. */
  name: z.string().min(1),
  /** Connector version (semver). */
  version: z.string().min(1),
  /** What the connector does. */
  description: z.string().min(1),
  /** Catalog categories. */
  categories: z.array(z.string()),
  /** Icon, if any. */
  icon: z.string().optional(),
  /** JSON Schema (draft 2020-12) of the config input. */
  config: z.record(z.string(), z.unknown()),
  /** Dotted paths of secret config fields. */
  secrets: z.array(z.string()),
  /** Sample configs, with secret values redacted. */
  examples: z.array(z.object({ title: z.string(), config: z.unknown() })),
  /** Route names a filter can return, when they are fixed. */
  routes: z.array(z.string()).optional(),
  /** `true` for a filter whose route names come from its config. */
  routesFromConfig: z.boolean().optional(),
});
/** A connector's manifest. */
export type ConnectorManifest = z.infer<typeof ConnectorManifest>;

/**
 * Builds the manifest of a connector from its definition.
 *
 * @param connector - a connector made with a `define*` helper
 * @returns the manifest, JSON-serialisable
 * @example
 * ```ts
 * const manifest = connectorManifest(httpWebhook);
 * manifest.secrets; // ["auth.secret"]
 * ```
 */
export function connectorManifest(connector: Connector): ConnectorManifest {
  const config: JsonSchema = configJsonSchema(connector.config);
  const secrets = secretPaths(config);
  return {
    manifestVersion: MANIFEST_VERSION,
    kind: connector.kind,
    name: connector.name,
    version: connector.version,
    description: connector.description,
    categories: [...(connector.categories ?? [])],
    ...(connector.icon === undefined ? {} : { icon: connector.icon }),
    config,
    secrets,
    examples: (connector.examples ?? []).map((e) => ({ title: e.title, config: redact(e.config, secrets) })),
    ...(connector.kind === "filter" && connector.routes ? { routes: [...connector.routes] } : {}),
    ...(connector.kind === "filter" && connector.routesFromConfig ? { routesFromConfig: true } : {}),
  };
}

/**
 * The secret paths of a connector's config, for redacting values before they are shown.
 * @param connector - any connector
 */
export function connectorSecretPaths(connector: Connector): string[] {
  return secretPaths(configJsonSchema(connector.config));
}
