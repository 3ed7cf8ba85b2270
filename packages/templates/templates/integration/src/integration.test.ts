import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createConnectorResolver,
  envSecretSource,
  loadIntegrationSpec,
  type ResolvedIntegration,
  resolveIntegration,
} from "@vrsky/runtime";
import { runConsumer, runConverter, runProducer } from "@vrsky/sdk/testing";
import { beforeAll, describe, expect, it } from "vitest";

const specFile = fileURLToPath(new URL("../integration.yaml", import.meta.url));

describe("{{name}} integration", () => {
  let integration: ResolvedIntegration;
  beforeAll(async () => {
    const { spec, file, positions } = await loadIntegrationSpec(specFile);
    integration = await resolveIntegration(spec, {
      file,
      positions,
      secrets: envSecretSource(),
      resolveConnector: createConnectorResolver({ builtins: [], baseDir: dirname(file) }),
    });
  });

  it("resolves every connector with a valid config", () => {
    expect(integration.source.connector.kind).toBe("consumer");
    expect(integration.steps.map((s) => s.name)).toEqual(["stamp"]);
    expect(Object.keys(integration.sinks)).toEqual(["log"]);
    expect(integration.warnings).toEqual([]);
  });

  it("carries a heartbeat through the steps to the sink", async () => {
    const { source, steps, sinks } = integration;
    const { messages } = await runConsumer(
      source.connector,
      { ...(source.config as object), intervalMs: 0 },
      {
        maxMessages: 2,
      },
    );
    let outputs = messages;
    for (const step of steps) {
      if (step.connector.kind !== "converter") continue;
      outputs = await runConverter(step.connector, step.config, outputs);
    }
    expect(await Promise.all(outputs.map((m) => m.json()))).toEqual([
      { n: 0, label: "{{name}}" },
      { n: 1, label: "{{name}}" },
    ]);
    for (const sink of Object.values(sinks)) {
      const { failures } = await runProducer(sink.connector, sink.config, outputs);
      expect(failures).toEqual([]);
    }
  });
});
