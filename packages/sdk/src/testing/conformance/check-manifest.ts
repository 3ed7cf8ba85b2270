import { configJsonSchema, type JsonSchema, parseConfig, SECRET_KEYWORD } from "../../config.js";
import type { Connector } from "../../connector.js";
import { ConnectorManifest, connectorManifest } from "../../manifest.js";
import { type CheckOutcome, fail, pass } from "./check-outcome.js";
import { describeThrown } from "./describe-thrown.js";

// Field names that hold credentials, compared with separators removed and lower-cased.
const SECRET_NAME =
  /(password|passwd|passphrase|secret|token|apikey|privatekey|credentials?|accesskey|secretkey)$/;

/**
 * Checks that the connector's manifest builds and is complete: a description, a config JSON
 * Schema describing an object, every credential-like field marked `secret()`, and at least one
 * example, each passing the schema.
 * @param connector - the connector under test
 */
export function checkManifest(connector: Connector): CheckOutcome {
  let manifest: ConnectorManifest;
  try {
    manifest = connectorManifest(connector);
  } catch (error) {
    return fail(
      `connectorManifest() failed (${describeThrown(error)}): the config schema must convert to JSON Schema — ` +
        "use plain zod types in the config, not z.custom() or z.instanceof()",
    );
  }
  const problems: string[] = [];
  const parsed = ConnectorManifest.safeParse(manifest);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`manifest field ${issue.path.join(".") || "(root)"}: ${issue.message}`);
    }
  }
  if (manifest.description.trim().length < 10) {
    problems.push(
      'description is too short: write one sentence on what the connector does, e.g. "Receives …"',
    );
  }
  if (manifest.config.type !== "object") {
    problems.push(
      "the config schema does not describe an object: define it as z.object({ … }) so specs can give it as a map",
    );
  }
  for (const path of unmarkedSecretFields(manifest.config)) {
    problems.push(
      `config field ${path} looks like a credential but is not marked secret: wrap its schema in secret(…) ` +
        "so it is redacted in logs, errors and manifests",
    );
  }
  const examples = connector.examples ?? [];
  if (examples.length === 0) {
    problems.push(
      "no examples: add examples: [{ title, config }] to the definition — the docs, the CLI and this suite use them",
    );
  }
  for (const example of examples) {
    try {
      parseConfig(connector.config, example.config, { where: `example "${example.title}"` });
    } catch (error) {
      problems.push(`${describeThrown(error)}: fix the example or the schema so they agree`);
    }
  }
  return problems.length === 0 ? pass() : fail(...problems);
}

/**
 * Paths of leaf fields whose names look like credentials but lack the secret marker.
 * @param schema - the config's JSON Schema
 */
export function unmarkedSecretFields(schema: JsonSchema): string[] {
  const found = new Set<string>();
  const walk = (node: unknown, path: readonly string[]): void => {
    if (typeof node !== "object" || node === null || Array.isArray(node)) return;
    const record = node as Record<string, unknown>;
    if (record[SECRET_KEYWORD] === true) return;
    const properties = record.properties;
    if (typeof properties === "object" && properties !== null) {
      for (const [key, child] of Object.entries(properties)) walk(child, [...path, key]);
      return;
    }
    for (const keyword of ["anyOf", "oneOf", "allOf"]) {
      const options = record[keyword];
      if (Array.isArray(options)) {
        if (options.some((o) => typeof o === "object" && o !== null && SECRET_KEYWORD in o)) return;
        for (const option of options) walk(option, path);
      }
    }
    if (typeof record.items === "object") walk(record.items, [...path, "*"]);
    const name = (path.at(-1) ?? "").replace(/[-_]/g, "").toLowerCase();
    const isLeaf = record.type !== "object" && record.type !== "array" && !("anyOf" in record);
    if (isLeaf && SECRET_NAME.test(name)) found.add(path.join("."));
  };
  walk(schema, []);
  return [...found];
}

/**
 * The JSON Schema of a connector's config, or `undefined` if it does not convert.
 * @param connector - any connector
 */
export function tryConfigJsonSchema(connector: Connector): JsonSchema | undefined {
  try {
    return configJsonSchema(connector.config);
  } catch {
    return undefined;
  }
}
