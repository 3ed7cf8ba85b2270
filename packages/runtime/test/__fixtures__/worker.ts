// A worker process for the fault tests: runs one integration until killed or signalled.
import { pino } from "pino";
import { drainOnSignals, startIntegration } from "../../src/index.js";
import { connectNats, integration } from "../harness.js";
import { countingSource, fileAppendSink } from "./test-connectors.js";

const [name, path, count, delayMs = "5"] = process.argv.slice(2) as [string, string, string, string?];
const nc = await connectNats();
const runner = await startIntegration(
  integration(name, {
    source: { connector: countingSource, config: { count: Number(count), channel: name } },
    sinks: { out: { connector: fileAppendSink, config: { path, delayMs: Number(delayMs) } } },
  }),
  {
    nc,
    logger: pino({ level: "silent" }),
    ackWaitMs: 1500,
    leaseTtlMs: 1000,
    worker: `child-${process.pid}`,
  },
);
drainOnSignals(async () => {
  await runner.stop();
  await nc.drain();
});
process.stdout.write("ready\n");
