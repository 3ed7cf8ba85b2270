import { SECRET_KEYWORD } from "@vrsky/sdk";

/** One field of a connector's config, as `vrsky connectors info` shows it. */
export interface ConfigField {
  /** Dotted path, with `*` for array items and map values (as in secret paths), e.g. `auth.token`. */
  name: string;
  /** Readable type, e.g. `string`, `"upper" | "lower"`, `string[]`, `map of string`. */
  type: string;
  /** Whether a config must set it (given its parent is set). */
  required: boolean;
  /** Whether it is secret: pass a reference (env var, secret store), never the value. */
  secret: boolean;
  /** The default, when there is one. */
  default?: unknown;
  /** What it is for; empty when the schema does not say. */
  description: string;
}

type Node = Readonly<Record<string, unknown>>;

/**
 * The fields of a config JSON Schema (as in a connector manifest), parents before children:
 * object properties by dotted path, and the fields of array items and map values under `*`.
 *
 * @param schema - the config JSON Schema
 * @param secrets - the manifest's secret paths
 * @example
 * ```ts
 * configFields({ type: "object", properties: { url: { type: "string" } }, required: ["url"] }, []);
 * // [{ name: "url", type: "string", required: true, secret: false, description: "" }]
 * ```
 */
export function configFields(schema: Node, secrets: readonly string[]): ConfigField[] {
  const defs = asNode(schema.$defs) ?? {};
  const fields: ConfigField[] = [];
  const seen = new Set<Node>();
  const resolve = (node: Node): Node => {
    const ref = node.$ref;
    if (typeof ref !== "string" || !ref.startsWith("#/$defs/")) return node;
    return asNode(defs[ref.slice("#/$defs/".length)]) ?? node;
  };
  const visitChildren = (raw: Node, path: string): void => {
    const node = resolve(raw);
    // Recursive schemas ($ref cycles) are listed down to the first repetition.
    if (seen.has(node)) return;
    seen.add(node);
    const properties = asNode(node.properties);
    if (properties !== undefined) {
      const required = Array.isArray(node.required) ? node.required : [];
      for (const [key, child] of Object.entries(properties)) {
        const childNode = asNode(child);
        if (childNode === undefined) continue;
        const name = path === "" ? key : `${path}.${key}`;
        fields.push(field(resolve(childNode), name, required.includes(key), secrets));
        visitChildren(childNode, name);
      }
    }
    for (const keyword of ["items", "additionalProperties"] as const) {
      const inner = asNode(node[keyword]);
      if (inner !== undefined && path !== "") visitChildren(inner, `${path}.*`);
    }
    seen.delete(node);
  };
  visitChildren(schema, "");
  return fields;
}

function field(node: Node, name: string, required: boolean, secrets: readonly string[]): ConfigField {
  const secret = node[SECRET_KEYWORD] === true || secrets.includes(name) || secrets.includes(`${name}.*`);
  const description = typeof node.description === "string" ? node.description : "";
  return {
    name,
    type: typeOf(node),
    required,
    secret,
    ...(node.default === undefined ? {} : { default: node.default }),
    description,
  };
}

function typeOf(node: Node): string {
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (Array.isArray(node.enum)) return node.enum.map((v) => JSON.stringify(v)).join(" | ");
  for (const keyword of ["anyOf", "oneOf"]) {
    const options = node[keyword];
    if (Array.isArray(options)) {
      const types = options.map((o) => asNode(o)).flatMap((o) => (o === undefined ? [] : [typeOf(o)]));
      return [...new Set(types)].join(" | ") || "any";
    }
  }
  if (typeof node.$ref === "string") return "object";
  const types = Array.isArray(node.type)
    ? node.type.map(String)
    : typeof node.type === "string"
      ? [node.type]
      : [];
  if (types.length === 0) return "any";
  return types
    .map((type) => {
      if (type === "array") {
        const items = asNode(node.items);
        const inner = items === undefined ? "any" : typeOf(items);
        return inner.includes(" | ") ? `(${inner})[]` : `${inner}[]`;
      }
      if (type === "object") {
        const values = asNode(node.additionalProperties);
        return asNode(node.properties) === undefined && values !== undefined
          ? `map of ${typeOf(values)}`
          : "object";
      }
      return type === "string" && typeof node.format === "string" ? `string (${node.format})` : type;
    })
    .join(" | ");
}

function asNode(value: unknown): Node | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Node) : undefined;
}
