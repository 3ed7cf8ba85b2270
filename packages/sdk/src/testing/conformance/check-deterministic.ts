import { createHash } from "node:crypto";
import type { ConverterConnector, FilterConnector } from "../../connector.js";
import type { ConnectorContext } from "../../context.js";
import type { Message } from "../../message.js";
import { toConverterOutputs } from "../converter-output.js";
import { MemoryBlobStore } from "../memory-blob-store.js";
import { createTestContext } from "../test-context.js";
import { createTestMessage } from "../test-message.js";
import { type CheckOutcome, fail, pass, skip } from "./check-outcome.js";
import type { ConformanceOptions } from "./conformance-options.js";

const HOW_TO_FIX =
  "a step must give the same result for the same message, because the runtime may run it again after a retry " +
  "or on another worker — take times from msg.meta.createdAt and ids from msg.id, not the clock, randomness or " +
  "counters kept between calls";

interface OutputPrint {
  id: string;
  contentType: string;
  headers: string;
  sha256: string;
}

/**
 * Checks that a converter turns the same message into the same outputs (ids, content types,
 * headers and body bytes) twice in one instance and once more in a fresh instance.
 * @param converter - the converter under test
 * @param options - the suite's options; skipped without fixtures
 */
export async function checkDeterministicConverter(
  converter: ConverterConnector,
  options: ConformanceOptions,
): Promise<CheckOutcome> {
  return compareRuns(converter, options, async (message, ctx, blobs) => {
    const outputs = await toConverterOutputs(converter.name, message, await converter.convert(message, ctx), {
      blobs,
    });
    return Promise.all(outputs.map(printOutput));
  });
}

/**
 * Checks that a filter decides the same way for the same message, twice in one instance and
 * once more in a fresh instance.
 * @param filter - the filter under test
 * @param options - the suite's options; skipped without fixtures
 */
export async function checkDeterministicFilter(
  filter: FilterConnector,
  options: ConformanceOptions,
): Promise<CheckOutcome> {
  return compareRuns(filter, options, async (message, ctx) => [await filter.filter(message, ctx)]);
}

async function compareRuns<C extends ConverterConnector | FilterConnector>(
  connector: C,
  options: ConformanceOptions,
  decide: (
    message: Message,
    ctx: ConnectorContext<unknown, unknown>,
    blobs: MemoryBlobStore,
  ) => Promise<readonly unknown[]>,
): Promise<CheckOutcome> {
  const fixtures = options.fixtures ?? [];
  if (fixtures.length === 0) return skip("no options.fixtures: give inputs to run the connector on");
  const blobs = new MemoryBlobStore();
  const messages = await Promise.all(fixtures.map((f) => createTestMessage(f, blobs)));
  const runs: (readonly unknown[])[][] = messages.map(() => []);
  for (const instance of [0, 1]) {
    const handle = await createTestContext(connector, {
      config: options.config,
      blobs,
      ...(options.info ? { info: options.info } : {}),
    });
    try {
      for (const [i, message] of messages.entries()) {
        const repeats = instance === 0 ? 2 : 1;
        for (let r = 0; r < repeats; r++) runs[i]?.push(await decide(message, handle.ctx, blobs));
      }
    } finally {
      await handle.close();
    }
  }
  const problems: string[] = [];
  for (const [i, [first, ...others]] of runs.entries()) {
    for (const [j, other] of others.entries()) {
      const difference = differenceBetween(connector.kind, first ?? [], other);
      if (difference) {
        const when = j === 0 ? "two calls on one instance" : "a call on a fresh instance";
        problems.push(`fixture ${i}: ${difference} between ${when}`);
      }
    }
  }
  return problems.length === 0 ? pass() : fail(...problems, HOW_TO_FIX);
}

function differenceBetween(kind: string, a: readonly unknown[], b: readonly unknown[]): string | undefined {
  if (kind === "filter") {
    const [x, y] = [JSON.stringify(a[0]), JSON.stringify(b[0])];
    return x === y ? undefined : `the decision differs (${x} vs ${y})`;
  }
  if (a.length !== b.length) return `the number of outputs differs (${a.length} vs ${b.length})`;
  for (const [n, left] of (a as OutputPrint[]).entries()) {
    const right = b[n] as OutputPrint;
    for (const field of ["id", "contentType", "headers", "sha256"] as const) {
      if (left[field] !== right[field]) {
        const what = field === "sha256" ? "body" : field;
        // Body bytes are payload: compared by hash, never shown.
        const shown =
          field === "sha256"
            ? `sha256 ${left.sha256.slice(0, 12)}… vs ${right.sha256.slice(0, 12)}…`
            : `${left[field]} vs ${right[field]}`;
        return `output ${n} ${what} differs (${shown})`;
      }
    }
  }
  return undefined;
}

async function printOutput(message: Message): Promise<OutputPrint> {
  const headers = Object.entries(message.headers).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return {
    id: message.id,
    contentType: message.contentType,
    headers: JSON.stringify(headers),
    sha256: createHash("sha256")
      .update(await message.bytes())
      .digest("hex"),
  };
}
