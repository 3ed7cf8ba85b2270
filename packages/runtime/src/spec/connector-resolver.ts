import { isAbsolute, resolve } from "node:path";
import { ConfigError, type Connector, isConnector } from "@vrsky/sdk";
import { closestName } from "./closest-name.js";
import { importModule } from "./import-module.js";

/**
 * Turns a connector reference from a spec into a connector.
 * @throws ConfigError with one issue at path `connector` when the reference cannot be resolved
 */
export type ConnectorResolver = (ref: string) => Promise<Connector>;

/** Options of {@link createConnectorResolver}. */
export interface ConnectorResolverOptions {
  /**
   * The built-in connectors, by name or as a list (each under its own `name`). The runtime
   * ships none: the caller passes them (e.g. from `@vrsky/connectors`).
   */
  builtins: Readonly<Record<string, Connector>> | readonly Connector[];
  /** The spec file's directory: relative paths and npm packages are resolved from here. */
  baseDir: string;
}

const NPM_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*(\/[A-Za-z0-9._~/-]+)?$/;

/**
 * Creates the resolver of connector references. A reference is, in this order:
 * - a built-in name (`http-webhook`);
 * - a path starting with `./`, `../` or `/`, relative to `baseDir`: the module's default
 *   export, or its only connector export (`.ts` files are compiled with tsx);
 * - an npm package name, imported from `baseDir`'s `node_modules`.
 * Each reference is loaded once.
 *
 * @param options - the built-ins and the spec's directory
 * @returns the resolver
 * @example
 * ```ts
 * const resolveConnector = createConnectorResolver({ builtins: [httpWebhook, slack], baseDir: dirname(file) });
 * await resolveConnector("./connectors/upper.ts");
 * ```
 */
export function createConnectorResolver(options: ConnectorResolverOptions): ConnectorResolver {
  const builtins = new Map<string, Connector>(
    Array.isArray(options.builtins)
      ? options.builtins.map((c: Connector) => [c.name, c])
      : Object.entries(options.builtins),
  );
  const cache = new Map<string, Promise<Connector>>();
  const load = async (ref: string): Promise<Connector> => {
    const builtin = builtins.get(ref);
    if (builtin !== undefined) return builtin;
    if (ref.startsWith("./") || ref.startsWith("../") || isAbsolute(ref)) {
      return loadFile(ref, resolve(options.baseDir, ref), options.baseDir);
    }
    if (NPM_NAME.test(ref)) return loadPackage(ref, options.baseDir, [...builtins.keys()]);
    throw unknownConnector(ref, [...builtins.keys()]);
  };
  return (ref) => {
    let connector = cache.get(ref);
    if (connector === undefined) {
      connector = load(ref);
      cache.set(ref, connector);
    }
    return connector;
  };
}

async function loadFile(ref: string, file: string, baseDir: string): Promise<Connector> {
  let module: Record<string, unknown>;
  try {
    module = await importModule(file, baseDir);
  } catch (error) {
    throw resolveError(
      `cannot load connector module "${ref}" (resolved to ${file}): ${messageOf(error)}; paths are relative to the spec file`,
      error,
    );
  }
  return pickConnector(module, `module "${ref}"`);
}

async function loadPackage(ref: string, baseDir: string, builtinNames: string[]): Promise<Connector> {
  let module: Record<string, unknown>;
  try {
    module = await importModule(ref, baseDir);
  } catch (error) {
    // Only a missing *this* package means "unknown connector"; a missing dependency of the
    // package is the package's problem and is reported as such.
    if (isNotFound(error, packageName(ref))) throw unknownConnector(ref, builtinNames);
    throw resolveError(`cannot load connector package "${ref}": ${messageOf(error)}`, error);
  }
  return pickConnector(module, `package "${ref}"`);
}

function pickConnector(module: Record<string, unknown>, label: string): Connector {
  if (isConnector(module.default)) return module.default;
  const named = Object.entries(module).filter(([key, value]) => key !== "default" && isConnector(value));
  const [only] = named;
  if (named.length === 1 && only !== undefined && isConnector(only[1])) return only[1];
  if (named.length > 1) {
    throw resolveError(
      `${label} exports several connectors (${named.map(([key]) => key).join(", ")}): make the one to use its default export`,
    );
  }
  throw resolveError(
    `${label} exports no connector: its default export must be made with defineConsumer, defineProducer, defineConverter or defineFilter`,
  );
}

function unknownConnector(ref: string, builtinNames: string[]): ConfigError {
  const guess = closestName(ref, builtinNames);
  const known = builtinNames.length > 0 ? [...builtinNames].sort().join(", ") : "(none)";
  return resolveError(
    `unknown connector "${ref}"${guess ? ` (did you mean "${guess}"?)` : ""}: the built-in connectors are ${known}; ` +
      "otherwise give a path such as ./connectors/my-connector.ts or the name of an installed npm package",
  );
}

function resolveError(message: string, cause?: unknown): ConfigError {
  return new ConfigError([{ path: "connector", message }], cause === undefined ? {} : { cause });
}

function packageName(ref: string): string {
  const parts = ref.split("/");
  return ref.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? ref);
}

function isNotFound(error: unknown, name: string): boolean {
  if (!(error instanceof Error) || !("code" in error)) return false;
  if (error.code !== "ERR_MODULE_NOT_FOUND" && error.code !== "MODULE_NOT_FOUND") return false;
  return error.message.includes(`'${name}'`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
