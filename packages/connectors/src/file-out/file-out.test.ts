import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FatalError, parseConfig, RetryableError } from "@vrsky/sdk";
import { createTestMessage, runProducer } from "@vrsky/sdk/testing";
import { describeConformance } from "@vrsky/sdk/testing/vitest";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { classifyFsError } from "./fs-errors.js";
import fileOut, { FileOutConfig } from "./index.js";

let dir = "";

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vrsky-file-out-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function tree(root: string): Promise<Record<string, string>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files[path.slice(root.length + 1)] = await readFile(path, "utf8");
  }
  return files;
}

function errorOf(failures: readonly { error: unknown }[]): Error {
  const error = failures[0]?.error;
  if (!(error instanceof Error)) throw new Error(`expected a failed delivery, got ${String(error)}`);
  return error;
}

describe("file-out: write mode", () => {
  it("writes each body to a file named from the id, date, a header and a body field, leaving no temp files", async () => {
    const config = {
      directory: dir,
      fileName: "{{ $date }}/{{ $header.x-tenant }}-{{ order.id }}-{{ $id }}.json",
    };
    const message = await createTestMessage({
      id: "m1",
      json: { order: { id: 42 } },
      headers: { "X-Tenant": "acme" },
      createdAt: "2025-06-01T23:59:00.000Z",
    });
    const { failures } = await runProducer(fileOut, config, [message]);
    expect(failures).toEqual([]);
    expect(await tree(dir)).toEqual({ "2025-06-01/acme-42-m1.json": '{"order":{"id":42}}' });
  });

  it("rewrites the same file when a message is delivered again, so a retry has no extra effect", async () => {
    const message = await createTestMessage({ id: "m1", body: "hello" });
    await runProducer(fileOut, { directory: dir }, [message]);
    await runProducer(fileOut, { directory: dir }, [message], { attempt: 2 });
    expect(await tree(dir)).toEqual({ m1: "hello" });
  });

  it("refuses a body value that would leave the directory, without repeating the value", async () => {
    const { failures } = await runProducer(fileOut, { directory: dir, fileName: "{{ name }}.txt" }, [
      { json: { name: "../../etc/passwd" } },
    ]);
    expect(errorOf(failures)).toBeInstanceOf(FatalError);
    expect(errorOf(failures).message).toMatch(
      /placeholder \{\{ name \}\} gave a value that .* contains a path separator/,
    );
    expect(errorOf(failures).message).not.toContain("passwd");
    expect(await tree(dir)).toEqual({});
  });

  it("fails a message whose placeholder has no value with a FatalError naming it", async () => {
    const { failures } = await runProducer(fileOut, { directory: dir, fileName: "{{ order.id }}" }, [
      { json: {} },
    ]);
    expect(errorOf(failures)).toBeInstanceOf(FatalError);
    expect(errorOf(failures).message).toContain("{{ order.id }} has no value");
  });

  it("rejects absolute and parent-directory file names in the config", () => {
    for (const fileName of ["/etc/{{ $id }}", "../{{ $id }}", "a/./{{ $id }}", "{{ $nope }}", "{{ a..b }}"]) {
      expect(() => parseConfig(FileOutConfig, { directory: dir, fileName }), fileName).toThrow(/fileName/);
    }
  });

  it("reports a directory that is a file as a FatalError", async () => {
    await writeFile(join(dir, "plain"), "x");
    const { failures } = await runProducer(fileOut, { directory: join(dir, "plain") }, [{ body: "x" }]);
    expect(errorOf(failures)).toBeInstanceOf(FatalError);
  });
});

describe("file-out: append mode", () => {
  it("appends one NDJSON line per message, one write per file per batch, with the message id", async () => {
    const config = {
      directory: dir,
      fileName: "{{ kind }}.ndjson",
      mode: "append",
      format: "ndjson",
      idField: "_id",
    };
    const inputs = [
      { id: "a", json: { kind: "order", n: 1 } },
      { id: "b", json: { kind: "refund", n: 2 } },
      { id: "c", json: { kind: "order", n: 3 } },
    ];
    const { failures } = await runProducer(fileOut, config, inputs, { batch: true });
    expect(failures).toEqual([]);
    expect(await tree(dir)).toEqual({
      "order.ndjson": '{"_id":"a","kind":"order","n":1}\n{"_id":"c","kind":"order","n":3}\n',
      "refund.ndjson": '{"_id":"b","kind":"refund","n":2}\n',
    });
  });

  it("writes the CSV header once, when the file is new, then only rows", async () => {
    const config = {
      directory: dir,
      fileName: "orders.csv",
      mode: "append",
      format: "csv",
      columns: ["id", "customer.name", "total"],
    };
    await runProducer(fileOut, config, [{ json: { id: "A-1", customer: { name: "Ada, Ltd" }, total: 10 } }]);
    await runProducer(fileOut, config, [{ json: { id: "A-2", customer: { name: 'The "Best"' } } }]);
    expect(await tree(dir)).toEqual({
      "orders.csv": 'id,customer.name,total\nA-1,"Ada, Ltd",10\nA-2,"The ""Best""",\n',
    });
  });

  it("fails only the message whose body is not JSON in a batch", async () => {
    const config = { directory: dir, fileName: "all.ndjson", mode: "append", format: "ndjson" };
    const { delivered, failures } = await runProducer(
      fileOut,
      config,
      [{ json: { n: 1 } }, { body: "nope" }],
      {
        batch: true,
      },
    );
    expect(delivered).toHaveLength(1);
    expect(errorOf(failures)).toBeInstanceOf(FatalError);
    expect(await tree(dir)).toEqual({ "all.ndjson": '{"n":1}\n' });
  });
});

describe("file-out: errors", () => {
  it("treats a full disk as retryable and a permission problem as fatal", () => {
    const fsError = (code: string) => Object.assign(new Error(`${code}: failed`), { code });
    expect(classifyFsError(fsError("ENOSPC"), "writing x")).toBeInstanceOf(RetryableError);
    expect(classifyFsError(fsError("ENOSPC"), "writing x").message).toMatch(/free space on the disk/);
    expect(classifyFsError(fsError("EACCES"), "writing x")).toBeInstanceOf(FatalError);
    expect(classifyFsError(fsError("EACCES"), "writing x").message).toMatch(/write access/);
    expect(classifyFsError(fsError("EROFS"), "writing x")).toBeInstanceOf(FatalError);
  });
});

const conformanceDir = await mkdtemp(join(tmpdir(), "vrsky-file-out-conformance-"));
afterAll(async () => {
  await rm(conformanceDir, { recursive: true, force: true });
});
describeConformance(fileOut, {
  config: { directory: conformanceDir, fileName: "{{ kind }}-{{ $id }}.json" },
  invalidConfigs: [
    { config: { directory: "/x", mode: "append" }, reason: "append needs a format" },
    { config: { directory: "/x", mode: "append", format: "csv" }, reason: "csv needs columns" },
    { config: { directory: "/x", format: "ndjson" }, reason: "format applies to append" },
  ],
  fixtures: [{ json: { kind: "order", id: 1 } }, { json: { kind: "refund", id: 2 } }],
  badInput: { json: { kind: "../escape" } },
  observe: () => tree(conformanceDir),
});
