import { randomBytes } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, type Message } from "@vrsky/sdk";
import { CHECKPOINT_STATE_KEY, MemoryStateStore, runConsumer } from "@vrsky/sdk/testing";
import { describeConformance } from "@vrsky/sdk/testing/vitest";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { StabilityTracker } from "./directory-scan.js";
import fileIn from "./index.js";

const fixtures = new URL("./__fixtures__/", import.meta.url);
const fast = { pollIntervalMs: 20, stableForMs: 0 };
let dir = "";

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vrsky-file-in-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function listTree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();
}

const texts = (messages: readonly Message[]) => Promise.all(messages.map((m) => m.text()));
const jsons = (messages: readonly Message[]) => Promise.all(messages.map((m) => m.json()));

describe("file-in: file mode", () => {
  it("emits a stable file as one message keyed by path, size and mtime, then moves it to .processed", async () => {
    await writeFile(join(dir, "a.csv"), "id\n1\n");
    const result = await runConsumer(fileIn, { directory: dir, ...fast }, { maxMessages: 1 });
    const [message] = result.messages;
    expect(await message?.text()).toBe("id\n1\n");
    expect(message?.contentType).toBe("text/csv");
    expect(message?.headers).toMatchObject({ "x-file-name": "a.csv", "x-file-size": "5" });
    expect(message?.headers["x-file-mtime"]).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(result.checkpoint).toEqual({ file: "a.csv", key: expect.stringMatching(/^a\.csv:5:\d+/), row: 1 });
    await expect.poll(() => listTree(dir)).toEqual([".processed/a.csv"]);
  });

  it("takes only files matching the patterns, descending into subdirectories for ** patterns", async () => {
    await mkdir(join(dir, "eu"));
    await writeFile(join(dir, "top.json"), "{}");
    await writeFile(join(dir, "eu", "nested.json"), "[]");
    await writeFile(join(dir, "notes.txt"), "skip me");
    await writeFile(join(dir, ".hidden.json"), "{}");
    const result = await runConsumer(
      fileIn,
      { directory: dir, patterns: ["**/*.json"], ...fast },
      { maxMessages: 2 },
    );
    expect(result.messages.map((m) => m.headers["x-file-name"]).sort()).toEqual([
      "eu/nested.json",
      "top.json",
    ]);
    await expect
      .poll(() => listTree(dir))
      .toEqual([".hidden.json", ".processed/eu/nested.json", ".processed/top.json", "notes.txt"]);
  });

  it("deletes each file once accepted with afterRead delete", async () => {
    await writeFile(join(dir, "a.txt"), "hello");
    const result = await runConsumer(
      fileIn,
      { directory: dir, afterRead: "delete", ...fast },
      { maxMessages: 1 },
    );
    expect(await texts(result.messages)).toEqual(["hello"]);
    await expect.poll(() => listTree(dir)).toEqual([]);
  });

  it("gives a moved file a numeric suffix when the processed directory already holds that name", async () => {
    await mkdir(join(dir, "done"));
    await writeFile(join(dir, "done", "a.txt"), "old");
    await writeFile(join(dir, "a.txt"), "new");
    await runConsumer(fileIn, { directory: dir, processedDirectory: "done", ...fast }, { maxMessages: 1 });
    await expect.poll(() => listTree(dir)).toEqual(["done/a.1.txt", "done/a.txt"]);
  });

  it("moves a file accepted just before a crash without emitting it again", async () => {
    await writeFile(join(dir, "a.txt"), "once");
    const { size, mtimeMs } = await stat(join(dir, "a.txt"));
    // The state a crash between acceptance and the move leaves behind.
    const state = new MemoryStateStore();
    await state.set(CHECKPOINT_STATE_KEY, { file: "a.txt", key: `a.txt:${size}:${mtimeMs}`, row: 1 });
    const stop = new AbortController();
    const run = runConsumer(fileIn, { directory: dir, ...fast }, { state, signal: stop.signal });
    await expect.poll(() => listTree(dir)).toEqual([".processed/a.txt"]);
    stop.abort();
    const result = await run;
    expect(result.ended).toBe("aborted");
    expect(result.messages).toEqual([]);
  });

  it("streams a large file into a claim-check reference instead of the envelope", async () => {
    const content = randomBytes(1024 * 1024);
    await writeFile(join(dir, "big.bin"), content);
    const result = await runConsumer(
      fileIn,
      { directory: dir, ...fast },
      { maxMessages: 1, referenceThreshold: 64 * 1024 },
    );
    const [message] = result.messages;
    expect(message?.isReference).toBe(true);
    expect(message?.contentType).toBe("application/octet-stream");
    expect(Buffer.from((await message?.bytes()) ?? []).equals(content)).toBe(true);
  });

  it("stops promptly when the step stops while waiting for files", async () => {
    const result = await runConsumer(
      fileIn,
      { directory: dir, pollIntervalMs: 60_000 },
      { timeoutMs: 100, stopTimeoutMs: 500 },
    );
    expect(result.ended).toBe("timeout");
  });

  it("reports a missing directory as a ConfigError naming the field", async () => {
    const error = await runConsumer(fileIn, { directory: join(dir, "nope") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]?.path).toBe("directory");
  });
});

describe("file-in: stability", () => {
  it("takes a file only after its size and mtime stayed the same for stableForMs", () => {
    const tracker = new StabilityTracker(1000);
    const t0 = 1_700_000_000_000;
    const file = { path: "/x/a", relative: "a", size: 10, mtimeMs: t0 };
    expect(tracker.stable([file], t0)).toEqual([]);
    expect(tracker.stable([file], t0 + 500)).toEqual([]);
    const grown = { ...file, size: 20, mtimeMs: t0 + 900 };
    expect(tracker.stable([grown], t0 + 1200)).toEqual([]);
    expect(tracker.stable([grown], t0 + 1800)).toEqual([]);
    expect(tracker.stable([grown], t0 + 2200)).toEqual([grown]);
  });

  it("takes a file last modified longer ago than stableForMs at once", () => {
    const tracker = new StabilityTracker(1000);
    const old = { path: "/x/old", relative: "old", size: 1, mtimeMs: 1000 };
    expect(tracker.stable([old], 5000)).toEqual([old]);
  });
});

describe("file-in: lines mode", () => {
  it("emits one message per NDJSON line keyed by file and row, skipping and reporting a bad line", async () => {
    await copyFile(new URL("orders.ndjson", fixtures), join(dir, "orders.ndjson"));
    const config = { directory: dir, mode: "lines", format: "ndjson", ...fast };
    const result = await runConsumer(fileIn, config, { maxMessages: 3 });
    expect(await jsons(result.messages)).toEqual([
      { sku: "KB-01", qty: 2 },
      { sku: "MS-07", qty: 1 },
      { sku: "HD-44", qty: 5 },
    ]);
    expect(result.messages.map((m) => m.headers["x-file-row"])).toEqual(["1", "2", "3"]);
    expect(result.checkpoint).toMatchObject({ file: "orders.ndjson", row: 3 });
    await expect.poll(() => listTree(dir)).toEqual([".processed/orders.ndjson"]);
  });

  it("turns CSV rows into objects named by the header row", async () => {
    await copyFile(new URL("products.csv", fixtures), join(dir, "products.csv"));
    const config = { directory: dir, mode: "lines", format: "csv", delimiter: ";", ...fast };
    const result = await runConsumer(fileIn, config, { maxMessages: 2 });
    expect(await jsons(result.messages)).toEqual([
      { sku: "KB-01", name: "Keyboard", price: "49.50" },
      { sku: "MS-07", name: "Mouse; wireless", price: "20" },
    ]);
  });

  it("resumes a half-read file at the next row after a crash, losing and repeating nothing", async () => {
    await writeFile(
      join(dir, "rows.ndjson"),
      `${[1, 2, 3, 4, 5].map((n) => JSON.stringify({ n })).join("\n")}\n`,
    );
    const config = { directory: dir, mode: "lines", format: "ndjson", ...fast };
    const state = new MemoryStateStore();
    const first = await runConsumer(fileIn, config, { state, accept: (_m, index) => index < 2 });
    expect(first.ended).toBe("rejected");
    expect(await jsons(first.messages)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await state.get(CHECKPOINT_STATE_KEY)).toMatchObject({ row: 2 });
    expect(await listTree(dir)).toEqual(["rows.ndjson"]);

    const second = await runConsumer(fileIn, config, { state, maxMessages: 3 });
    expect(await jsons(second.messages)).toEqual([{ n: 3 }, { n: 4 }, { n: 5 }]);
    expect(second.duplicates).toBe(0);
    await expect.poll(() => listTree(dir)).toEqual([".processed/rows.ndjson"]);
  });
});

const conformanceDir = await mkdtemp(join(tmpdir(), "vrsky-file-in-conformance-"));
afterAll(async () => {
  await rm(conformanceDir, { recursive: true, force: true });
});
describeConformance(fileIn, {
  config: { directory: conformanceDir, mode: "lines", format: "ndjson", ...fast },
  invalidConfigs: [
    { config: { directory: "/x", mode: "lines" }, reason: "lines mode needs a format" },
    { config: { directory: "/x", format: "csv" }, reason: "format applies to lines mode" },
    {
      config: { directory: "/x", afterRead: "delete", processedDirectory: "/y" },
      reason: "nothing is moved",
    },
  ],
  setup: async () => {
    const lines = Array.from({ length: 60 }, (_, n) => JSON.stringify({ n }));
    await writeFile(join(conformanceDir, "events.ndjson"), `${lines.join("\n")}\n`);
  },
});
