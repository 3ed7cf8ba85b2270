// `npm run bench:csv`: rows/s through the csv converter, CSV → JSON (one array message, and one
// message per row) and JSON → CSV, on generated order rows. The connector runs in-process
// through the SDK test kit, so this measures the converter, not NATS.
import { runConverter } from "@vrsky/sdk/testing";
import csv from "../src/csv/index.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const header = "id,customer,sku,qty,price,paid\n";
const lines: string[] = [];
for (let i = 0; i < ROWS; i++)
  lines.push(`${i},customer-${i % 977},SKU-${i % 313},${(i % 9) + 1},${(i % 500) + 0.5},${i % 2 === 0}`);
const text = header + lines.join("\n");
const bytes = new TextEncoder().encode(text);

async function measure(label: string, work: () => Promise<number>) {
  await work(); // warm-up
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    const started = performance.now();
    const rows = await work();
    runs.push(rows / ((performance.now() - started) / 1000));
  }
  runs.sort((a, b) => a - b);
  console.log(
    `${label}: ${Math.round(runs[1] ?? 0).toLocaleString("en-US")} rows/s (median of 3; min ${Math.round(runs[0] ?? 0).toLocaleString("en-US")}, max ${Math.round(runs[2] ?? 0).toLocaleString("en-US")})`,
  );
}

console.log(
  `csv converter, ${ROWS.toLocaleString("en-US")} rows (${(bytes.byteLength / 1024 / 1024).toFixed(1)} MiB)`,
);
let parsed: unknown[] = [];
await measure("csv-to-json, one array message, cast", async () => {
  const [out] = await runConverter(
    csv,
    { direction: "csv-to-json", cast: true },
    { body: bytes, contentType: "text/csv" },
  );
  parsed = (await out?.json()) as unknown[];
  return parsed.length;
});
await measure("csv-to-json, one message per row", async () => {
  const out = await runConverter(
    csv,
    { direction: "csv-to-json", output: "rows" },
    { body: bytes, contentType: "text/csv" },
  );
  return out.length;
});
await measure("json-to-csv", async () => {
  const [out] = await runConverter(csv, { direction: "json-to-csv" }, { json: parsed });
  return (await out?.text())?.split("\n").length ?? 0;
});
