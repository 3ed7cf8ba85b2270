import { dirname } from "node:path";
import type { Connector } from "@vrsky/sdk";
import { createConnectorResolver } from "./connector-resolver.js";
import { loadIntegrationSpec } from "./load.js";
import { type ResolvedIntegration, resolveIntegration } from "./resolve.js";
import { type Env, envSecretSource, type SecretSource } from "./secrets.js";

/** Options of {@link loadIntegration}. */
export interface LoadIntegrationOptions {
  /** The built-in connectors (e.g. `builtinConnectors` from `@vrsky/connectors`). */
  builtins: Readonly<Record<string, Connector>> | readonly Connector[];
  /** Where `{ $secret }` references are looked up. @default environment variables `VRSKY_SECRET_*` */
  secrets?: SecretSource;
  /** Environment for `{ $env }` references. @default process.env */
  env?: Env;
}

/**
 * Loads a spec file (YAML, JSON or TypeScript) and resolves it into an integration ready to
 * run: connectors found, secrets resolved, every step's config validated.
 *
 * @param path - the spec file
 * @throws ConfigError listing every problem with file, line, path and fix
 * @example
 * ```ts
 * const integration = await loadIntegration("orders.yaml", { builtins: builtinConnectors });
 * const runner = await startIntegration(integration, { nc });
 * ```
 */
export async function loadIntegration(
  path: string,
  options: LoadIntegrationOptions,
): Promise<ResolvedIntegration> {
  const env = options.env ?? process.env;
  const { spec, file, positions } = await loadIntegrationSpec(path);
  return resolveIntegration(spec, {
    file,
    env,
    ...(positions ? { positions } : {}),
    resolveConnector: createConnectorResolver({ builtins: options.builtins, baseDir: dirname(file) }),
    secrets: options.secrets ?? envSecretSource(env),
  });
}
