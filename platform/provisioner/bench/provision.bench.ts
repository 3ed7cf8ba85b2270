// The provisioning benchmark: `npm run bench --workspace @vrsky/platform-provisioner`.
// Provisions BENCH_TENANTS tenants (default 100) one after another on one operator-mode
// nats-server, first as bare accounts (account JWT + worker user), then with a baseline of one
// stream and one KV bucket each, and prints the time per tenant and the server's resident memory
// (VmRSS from /proc/<pid>/status) before and after: the idle memory one tenant costs.
import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { createOperator, type OperatorNats, Provisioner, startOperatorNats } from "../src/index.js";

const TENANTS = Number(process.env.BENCH_TENANTS ?? 100);
const MIB = 1024 * 1024;
const PLAN = {
  maxStreams: 10,
  maxConsumers: 100,
  maxMemoryBytes: 16 * MIB,
  maxStorageBytes: 256 * MIB,
  maxConnections: 50,
};
// A standalone nats-server reserves each account's JetStream limits against its own capacity, so
// the server is sized for every tenant's plan (plus the warm-up tenant) rather than left to
// nats-server's guess from this machine's RAM and disk.
const SERVER = {
  maxMemoryBytes: (TENANTS + 1) * PLAN.maxMemoryBytes,
  maxStorageBytes: (TENANTS + 1) * PLAN.maxStorageBytes,
};
const BASELINE = {
  streams: [{ name: "INBOX", subjects: ["int.*.in"] }],
  kvBuckets: [{ bucket: "state" }],
};

async function rssKiB(server: OperatorNats): Promise<number> {
  if (server.pid === undefined) throw new Error("nats-server is not running");
  const status = await readFile(`/proc/${server.pid}/status`, "utf8");
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS in /proc/${server.pid}/status`);
  return Number(kib);
}

function stats(samples: number[]): { mean: number; p50: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  const mean = sorted.reduce((sum, x) => sum + x, 0) / sorted.length;
  return { mean, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}

const ms = (x: number) => `${x.toFixed(2)} ms`;
const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

/** One measurement on a fresh server, so neither phase sees the other's leftovers. */
async function phase(label: string, resources: typeof BASELINE | undefined): Promise<void> {
  const server = await startOperatorNats({ operator, ...SERVER });
  const provisioner = new Provisioner({ operator, shared: server });
  try {
    await measure(label, server, provisioner, resources);
  } finally {
    await provisioner.close();
    await server.stop();
  }
}

async function measure(
  label: string,
  server: OperatorNats,
  provisioner: Provisioner,
  resources: typeof BASELINE | undefined,
): Promise<void> {
  // One tenant first, so the server has loaded its account and JetStream paths before `before`.
  await provisioner.provision({ id: "warm-up", plan: PLAN, ...(resources ? { resources } : {}) });
  await provisioner.deprovision("warm-up");
  const before = await rssKiB(server);
  const provision: number[] = [];
  for (let i = 0; i < TENANTS; i++) {
    const start = performance.now();
    await provisioner.provision({ id: `tenant-${i}`, plan: PLAN, ...(resources ? { resources } : {}) });
    provision.push(performance.now() - start);
  }
  const after = await rssKiB(server);
  const deprovision: number[] = [];
  for (let i = 0; i < TENANTS; i++) {
    const start = performance.now();
    await provisioner.deprovision(`tenant-${i}`);
    deprovision.push(performance.now() - start);
  }
  const p = stats(provision);
  const d = stats(deprovision);
  console.log(`\n${label} (${TENANTS} tenants, sequential)`);
  console.log(`  provision    mean ${ms(p.mean)}  p50 ${ms(p.p50)}  p99 ${ms(p.p99)}  max ${ms(p.max)}`);
  console.log(`  deprovision  mean ${ms(d.mean)}  p50 ${ms(d.p50)}  p99 ${ms(d.p99)}  max ${ms(d.max)}`);
  console.log(`  nats-server RSS  before ${mib(before)}  after ${mib(after)}`);
  console.log(`  idle memory per tenant  ${((after - before) / TENANTS).toFixed(1)} KiB`);
}

const operator = await createOperator();
console.log(`nats-server ${(await rssOfFreshServer()).toString()} KiB RSS when idle with no tenants`);
await phase("bare accounts (account JWT + worker user)", undefined);
await phase("accounts with 1 stream + 1 KV bucket each", BASELINE);

async function rssOfFreshServer(): Promise<number> {
  const server = await startOperatorNats({ operator, ...SERVER });
  try {
    return await rssKiB(server);
  } finally {
    await server.stop();
  }
}
