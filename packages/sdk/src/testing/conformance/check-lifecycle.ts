import type { Connector } from "../../connector.js";
import { MemoryStateStore } from "../memory-state-store.js";
import { type CheckOutcome, fail, pass } from "./check-outcome.js";
import type { ConformanceOptions } from "./conformance-options.js";
import { describeThrown } from "./describe-thrown.js";
import { exerciseConnector } from "./exercise-connector.js";
import { trackResources } from "./resource-tracker.js";

const DEFAULT_SETTLE_MS = 1000;

/**
 * Runs the connector from `init` to `close` twice with the same state (a start, a stop and a
 * restart) and checks that both runs succeed and that no timer, socket, server or file opened
 * during them is still open afterwards: what a connector opens, it must close.
 * @param connector - the connector under test
 * @param options - the suite's options
 */
export async function checkLifecycle(
  connector: Connector,
  options: ConformanceOptions,
): Promise<CheckOutcome> {
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const state = new MemoryStateStore();
  const tracker = trackResources();
  const problems: string[] = [];
  try {
    for (const run of ["first run", "restart"] as const) {
      try {
        await exerciseConnector(connector, options, state);
      } catch (error) {
        return fail(
          `the ${run} failed: ${describeThrown(error)}` +
            (run === "restart"
              ? ": a second init after close must work — release ports, files and module-level state in close()"
              : ": the connector must run with options.config and options.fixtures"),
        );
      }
      const open = await tracker.settled(settleMs);
      if (open.length > 0) {
        problems.push(
          `after the ${run} and close(), ${open.map((o) => `${o.count} ${o.type}`).join(", ")} opened by the ` +
            `connector ${open.length === 1 && open[0]?.count === 1 ? "is" : "are"} still open ${settleMs} ms later: ` +
            "clear timers and intervals, close sockets, servers and files in close(), and stop loops when ctx.signal aborts",
        );
      }
    }
  } finally {
    tracker.stop();
  }
  return problems.length === 0 ? pass() : fail(...problems);
}
