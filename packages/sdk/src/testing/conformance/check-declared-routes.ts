import { type FilterConnector, filterRoutes } from "../../connector.js";
import { MemoryBlobStore } from "../memory-blob-store.js";
import { createTestContext } from "../test-context.js";
import { createTestMessage } from "../test-message.js";
import { type CheckOutcome, fail, pass, skip } from "./check-outcome.js";
import type { ConformanceOptions } from "./conformance-options.js";

/**
 * Checks that every route name a filter returns for the fixtures is declared in its `routes` (or
 * by `routesFromConfig` for the config), so integrations can be checked before deployment.
 * @param filter - the filter under test
 * @param options - the suite's options; skipped without fixtures
 */
export async function checkDeclaredRoutes(
  filter: FilterConnector,
  options: ConformanceOptions,
): Promise<CheckOutcome> {
  const fixtures = options.fixtures ?? [];
  if (fixtures.length === 0) return skip("no options.fixtures: give inputs to run the filter on");
  const blobs = new MemoryBlobStore();
  const handle = await createTestContext(filter, {
    config: options.config,
    blobs,
    ...(options.info ? { info: options.info } : {}),
  });
  const problems: string[] = [];
  const declared = filterRoutes(filter, handle.ctx.config);
  try {
    for (const [i, fixture] of fixtures.entries()) {
      const decision: unknown = await filter.filter(await createTestMessage(fixture, blobs), handle.ctx);
      if (typeof decision === "boolean") continue;
      const names: readonly unknown[] = Array.isArray(decision) ? decision : [decision];
      for (const name of names) {
        if (typeof name !== "string") {
          problems.push(
            `fixture ${i}: returned ${JSON.stringify(name)}, which is not a route name: return true, false, a route name or a list of them`,
          );
        } else if (!declared) {
          problems.push(
            `fixture ${i}: returned route "${name}" but the filter declares no routes: add routes: ["${name}", …] to defineFilter`,
          );
        } else if (!declared.includes(name)) {
          problems.push(
            `fixture ${i}: returned route "${name}", which is not declared (routes: ${declared.map((r) => `"${r}"`).join(", ")}): ` +
              "add it to routes or return a declared one",
          );
        }
      }
    }
  } finally {
    await handle.close();
  }
  return problems.length === 0 ? pass() : fail(...problems);
}
