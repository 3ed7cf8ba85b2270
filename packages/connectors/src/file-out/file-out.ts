import { mkdir } from "node:fs/promises";
import { dirname, resolve, sep } from "node:path";
import {
  type BatchOutcome,
  type DeliveryContext,
  defineProducer,
  FatalError,
  type Message,
} from "@vrsky/sdk";
import { stringify } from "csv-stringify/sync";
import { FileOutConfig } from "./config.js";
import { FileNameTemplate } from "./file-name-template.js";
import { appendText, writeAtomically } from "./file-writes.js";
import { classifyFsError } from "./fs-errors.js";

/** What `file-out` prepares in `init`: the resolved directory and the compiled file name. */
export interface FileOutResources {
  /** The directory, absolute. */
  readonly directory: string;
  /** The compiled `fileName`. */
  readonly fileName: FileNameTemplate;
}

type Context = DeliveryContext<FileOutConfig, FileOutResources>;

const INDEX = /^(0|[1-9]\d*)$/;

/**
 * `file-out`: writes each message to a file, or appends it as an NDJSON or CSV line.
 *
 * In `write` mode the body is streamed to a temp file that is renamed into place, so readers never
 * see half a file, and a redelivered message (same id, same name) replaces its file with the same
 * content. In `append` mode each batch adds one write per file; a retry after a lost
 * acknowledgement can append a line twice (at-least-once): write `idField` so readers can drop
 * duplicates.
 *
 * @example
 * ```yaml
 * sinks:
 *   archive:
 *     connector: file-out
 *     config: { directory: /data/archive, fileName: "{{ $date }}/{{ $id }}.json" }
 * ```
 */
export const fileOut = defineProducer<FileOutConfig, FileOutResources>({
  name: "file-out",
  version: "1.0.0",
  description: "Writes each message to a file (atomically), or appends it as an NDJSON or CSV line.",
  categories: ["file"],
  icon: "folder",
  config: FileOutConfig,
  examples: [
    {
      title: "Archive each message under a folder per day",
      config: { directory: "/data/archive", fileName: "{{ $date }}/{{ $id }}.json" },
    },
    {
      title: "Append orders to a daily CSV with an id column",
      config: {
        directory: "/data/exports",
        fileName: "orders-{{ $date }}.csv",
        mode: "append",
        format: "csv",
        columns: ["orderId", "customer.name", "total"],
        idField: "message_id",
      },
    },
  ],
  batch: { maxSize: 500, maxWaitMs: 50 },
  init(ctx) {
    return {
      directory: resolve(ctx.config.directory),
      fileName: FileNameTemplate.compile(ctx.config.fileName),
    };
  },
  async deliver(message, ctx) {
    const [outcome] = await deliverAll([message], ctx);
    if (outcome && !outcome.ok) throw outcome.error;
  },
  async deliverBatch(messages, ctx) {
    const outcomes = await deliverAll(messages, ctx);
    return outcomes.every((o) => o.ok) ? undefined : outcomes;
  },
});

async function deliverAll(messages: readonly Message[], ctx: Context): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = messages.map(() => ({ ok: true }));
  if (ctx.config.mode === "write") {
    for (const [i, message] of messages.entries()) {
      try {
        await writeMessage(message, ctx);
      } catch (error) {
        outcomes[i] = { ok: false, error };
      }
    }
    return outcomes;
  }
  // Append: one write per file for the whole batch, in message order.
  const files = new Map<string, { lines: string[]; indexes: number[] }>();
  for (const [i, message] of messages.entries()) {
    try {
      const body = await message.json({ signal: ctx.signal });
      const target = targetPath(message, body, ctx);
      const line = formatLine(message, body, ctx.config);
      const file = files.get(target) ?? { lines: [], indexes: [] };
      file.lines.push(line);
      file.indexes.push(i);
      files.set(target, file);
    } catch (error) {
      outcomes[i] = { ok: false, error };
    }
  }
  for (const [target, { lines, indexes }] of files) {
    try {
      if (ctx.config.createDirectory) await mkdir(dirname(target), { recursive: true });
      await appendText(target, lines.join(""), csvHeader(ctx.config));
    } catch (error) {
      const typed = classifyFsError(error, `appending to ${target}`);
      for (const i of indexes) outcomes[i] = { ok: false, error: typed };
    }
  }
  return outcomes;
}

async function writeMessage(message: Message, ctx: Context): Promise<void> {
  const body = ctx.resources.fileName.needsBody ? await message.json({ signal: ctx.signal }) : undefined;
  const target = targetPath(message, body, ctx);
  try {
    if (ctx.config.createDirectory) await mkdir(dirname(target), { recursive: true });
    await writeAtomically(target, message.stream({ signal: ctx.signal }));
  } catch (error) {
    throw classifyFsError(error, `message ${message.id}: writing ${target}`);
  }
}

function targetPath(message: Message, body: unknown, ctx: Context): string {
  const { directory, fileName } = ctx.resources;
  const target = resolve(directory, fileName.render(message, body));
  // The template and values are checked already; this guards the invariant itself.
  if (!target.startsWith(directory + sep)) {
    throw new FatalError(`message ${message.id}: fileName resolves outside ${directory}`);
  }
  return target;
}

function formatLine(message: Message, body: unknown, config: FileOutConfig): string {
  if (config.format === "ndjson") {
    if (config.idField === undefined) return `${JSON.stringify(body)}\n`;
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new FatalError(
        `message ${message.id}: the body must be a JSON object to add idField "${config.idField}": send objects, or remove idField`,
      );
    }
    // The id goes first for readers, and wins over a body field of the same name.
    const line: Record<string, unknown> = { [config.idField]: message.id, ...body };
    line[config.idField] = message.id;
    return `${JSON.stringify(line)}\n`;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new FatalError(
      `message ${message.id}: a CSV line is written from a JSON object, but the body is not one`,
    );
  }
  const cells = (config.columns ?? []).map((path) => csvCell(readPath(body, path)));
  return stringify([config.idField === undefined ? cells : [message.id, ...cells]], {
    delimiter: config.delimiter ?? ",",
  });
}

function csvHeader(config: FileOutConfig): string | undefined {
  if (config.format !== "csv") return undefined;
  const names = config.columns ?? [];
  return stringify([config.idField === undefined ? names : [config.idField, ...names]], {
    delimiter: config.delimiter ?? ",",
  });
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function readPath(body: unknown, path: string): unknown {
  let node = body;
  for (const segment of path.split(".")) {
    if (Array.isArray(node)) node = INDEX.test(segment) ? node[Number(segment)] : undefined;
    else if (typeof node === "object" && node !== null && Object.hasOwn(node, segment)) {
      node = (node as Record<string, unknown>)[segment];
    } else return undefined;
  }
  return node;
}
