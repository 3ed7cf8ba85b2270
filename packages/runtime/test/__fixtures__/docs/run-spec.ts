import type { NatsConnection } from "@nats-io/transport-node";
import { drainOnSignals, type IntegrationRunner, loadIntegration, startIntegration } from "@vrsky/runtime";
import type { Connector } from "@vrsky/sdk";

/**
 * Runs the integration in `specFile` on JetStream until SIGTERM/SIGINT, then drains.
 * `builtins` is usually `builtinConnectors` from `@vrsky/connectors`.
 */
export async function runSpec(
  specFile: string,
  nc: NatsConnection,
  builtins: readonly Connector[],
): Promise<{ runner: IntegrationRunner; stopOnSignals: () => void }> {
  const integration = await loadIntegration(specFile, { builtins });
  const runner = await startIntegration(integration, { nc, tenant: "dev" });
  const stopOnSignals = drainOnSignals(() => runner.stop());
  return { runner, stopOnSignals };
}
