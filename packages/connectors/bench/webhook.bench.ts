// The http-webhook benchmark:
//   node --conditions=@vrsky/source --import tsx packages/connectors/bench/webhook.bench.ts
// Runs the connector in-process with an emit that reads the body and resolves at once, so it
// measures the HTTP path (fastify, auth, body streaming, the shared-server dispatch) and not
// NATS. autocannon runs in a worker thread so load generation and the server use separate
// cores. BENCH_SECONDS (default 5) sets each measurement's length.
import { createHmac } from "node:crypto";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { type CheckpointStore, collectBytes, type Emit, toBodySource, z } from "@vrsky/sdk";
import { createTestContext } from "@vrsky/sdk/testing";
import { pino } from "pino";
import httpWebhook from "../src/http-webhook/index.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const P99_BUDGET_MS = 50;
const CONNECTIONS = [1, 5, 10, 20, 50, 100, 200];
const SECRET = "bench-secret";
const body = JSON.stringify({
  action: "opened",
  number: 1347,
  pull_request: { title: "x".repeat(900), user: { login: "octocat" } },
});

/** The part of autocannon's result this benchmark reads. */
const Result = z.object({
  requests: z.object({ average: z.number(), total: z.number() }),
  latency: z.object({ p50: z.number(), p99: z.number() }),
  non2xx: z.number(),
  errors: z.number(),
  timeouts: z.number(),
});
type Result = z.infer<typeof Result>;

interface Load {
  url: string;
  connections: number;
  headers: Record<string, string>;
}

// autocannon ships no types: load it through require and validate what it returns.
const autocannon: (options: Record<string, unknown>) => Promise<unknown> = createRequire(import.meta.url)(
  "autocannon",
);

async function fire(load: Load): Promise<Result> {
  const raw = await autocannon({
    url: load.url,
    method: "POST",
    headers: load.headers,
    body,
    connections: load.connections,
    duration: SECONDS,
    workers: 1,
  });
  return Result.parse(raw);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

const noCheckpoint: CheckpointStore<unknown> = { load: async () => undefined, save: async () => {} };
let accepted = 0;
const emit: Emit = async (init) => {
  const source = toBodySource(init);
  if (source.type === "stream") await collectBytes(source.stream);
  accepted++;
  return { id: String(accepted), duplicate: false };
};

async function startWebhook(auth: Record<string, unknown>) {
  const port = await freePort();
  const handle = await createTestContext(httpWebhook, {
    config: { host: "127.0.0.1", port, path: "/hooks/github", auth, maxInFlight: 10_000 },
    logger: pino({ level: "warn" }),
  });
  const running = httpWebhook.start({ ...handle.ctx, checkpoint: noCheckpoint }, emit);
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
  }
  return {
    url: `http://127.0.0.1:${port}/hooks/github`,
    async stop() {
      handle.abort();
      await running;
      await handle.close();
    },
  };
}

const row = (label: string, r: Result): string =>
  [
    label.padEnd(22),
    `${Math.round(r.requests.average).toString().padStart(7)} req/s`,
    `p50 ${r.latency.p50.toFixed(1).padStart(6)} ms`,
    `p99 ${r.latency.p99.toFixed(1).padStart(6)} ms`,
    r.non2xx + r.errors + r.timeouts > 0
      ? `(non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts})`
      : "",
  ].join("  ");

const withinBudget = (r: Result): boolean =>
  r.latency.p99 < P99_BUDGET_MS && r.non2xx + r.errors + r.timeouts === 0;

async function sweep(auth: Record<string, unknown>, headers: Record<string, string>, counts: number[]) {
  const webhook = await startWebhook(auth);
  let best: { connections: number; result: Result } | undefined;
  try {
    for (const connections of counts) {
      const result = await fire({ url: webhook.url, connections, headers });
      console.log(row(`${connections} connections`, result));
      if (withinBudget(result) && result.requests.average > (best?.result.requests.average ?? 0)) {
        best = { connections, result };
      }
    }
  } finally {
    await webhook.stop();
  }
  // autocannon's fixed-rate mode sends each second's quota in one burst and skews latencies, so
  // the budget is read off this closed-loop sweep: the best throughput whose p99 fits.
  console.log(
    best
      ? `=> highest rate with p99 < ${P99_BUDGET_MS} ms: ${Math.round(best.result.requests.average)} req/s (${best.connections} connections)`
      : `=> no measured load kept p99 under ${P99_BUDGET_MS} ms`,
  );
}

async function main(): Promise<void> {
  console.log(
    `http-webhook benchmark: ${body.length}-byte JSON POSTs, ${SECONDS} s per measurement, Node ${process.version}`,
  );
  const headers = { "content-type": "application/json", "x-github-event": "pull_request" };
  console.log("\n# auth none: body streamed to emit");
  await sweep({ type: "none" }, headers, CONNECTIONS);
  console.log("\n# auth hmac-sha256: body buffered and verified");
  const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
  await sweep(
    { type: "hmac", secret: SECRET },
    { ...headers, "x-hub-signature-256": signature },
    [10, 50, 100],
  );
  console.log(`\n${accepted} messages accepted in total`);
}

await main();
