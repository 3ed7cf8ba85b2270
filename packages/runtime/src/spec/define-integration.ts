// Only a type import: spec files written in TypeScript import this module, and it must load
// without pulling in the runtime.
import type { IntegrationSpecInput } from "./schema.js";

/**
 * Declares an integration in TypeScript with the spec's types and editor completion. It
 * returns its argument unchanged; `loadIntegrationSpec` validates the module's default export
 * exactly like a YAML spec.
 *
 * @param spec - the integration, as it would be written in YAML
 * @returns `spec`
 * @example
 * ```ts
 * export default defineIntegration({
 *   name: "orders",
 *   source: { connector: "http-webhook", config: { path: "/orders" } },
 *   sinks: { db: { connector: "postgres-out", config: { url: { $env: "DATABASE_URL" } } } },
 * });
 * ```
 */
export function defineIntegration(spec: IntegrationSpecInput): IntegrationSpecInput {
  return spec;
}
