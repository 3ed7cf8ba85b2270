import { FatalError, type Message } from "@vrsky/sdk";

type Placeholder =
  | { readonly source: "id" | "date"; readonly text: string }
  | { readonly source: "header"; readonly text: string; readonly name: string }
  | { readonly source: "body"; readonly text: string; readonly path: readonly string[] };

type Part = { readonly literal: string } | { readonly placeholder: Placeholder };

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const RESERVED = new Set(["__proto__", "constructor", "prototype"]);
const INDEX = /^(0|[1-9]\d*)$/;

/** A file name template that does not parse; the message says what to write instead. */
export class FileNameTemplateError extends Error {
  /** @param problem - what is wrong and how to write it */
  constructor(problem: string) {
    super(problem);
    this.name = "FileNameTemplateError";
  }
}

/**
 * A compiled file name template: literal text (where `/` makes subfolders) with placeholders
 * for the message id (`{{ $id }}`), its ingestion date (`{{ $date }}`, UTC `YYYY-MM-DD`), a
 * header (`{{ $header.x-tenant }}`) or a field of the JSON body (`{{ order.id }}`). Substituted
 * values may not contain path separators, so no message can write outside the directory.
 *
 * @example
 * ```ts
 * const name = FileNameTemplate.compile("{{ $date }}/order-{{ order.id }}.json");
 * name.render(message, { order: { id: "A-1" } }); // "2025-06-01/order-A-1.json"
 * ```
 */
export class FileNameTemplate {
  readonly #parts: readonly Part[];
  /** Whether rendering reads the JSON body. */
  readonly needsBody: boolean;

  private constructor(parts: readonly Part[]) {
    this.#parts = parts;
    this.needsBody = parts.some((p) => "placeholder" in p && p.placeholder.source === "body");
  }

  /**
   * Parses a template.
   * @param text - the template
   * @throws FileNameTemplateError for a bad placeholder, an absolute path or a `.`/`..` segment
   */
  static compile(text: string): FileNameTemplate {
    const parts: Part[] = [];
    let last = 0;
    for (const match of text.matchAll(PLACEHOLDER)) {
      if (match.index > last) parts.push({ literal: text.slice(last, match.index) });
      parts.push({ placeholder: parsePlaceholder(match[1] ?? "") });
      last = match.index + match[0].length;
    }
    if (last < text.length) parts.push({ literal: text.slice(last) });
    const literals = parts.map((p) => ("literal" in p ? p.literal : "x")).join("");
    if (literals.includes("{{") || literals.includes("}}")) {
      throw new FileNameTemplateError(
        'unbalanced "{{" or "}}": write placeholders as {{ $id }} or {{ field.path }}',
      );
    }
    if (literals.startsWith("/") || literals.includes("\\") || literals.includes("\0")) {
      throw new FileNameTemplateError(
        "must be a relative path with `/` separators (no leading `/`, no `\\`)",
      );
    }
    if (literals.split("/").some((segment) => segment === "" || segment === "." || segment === "..")) {
      throw new FileNameTemplateError("may not contain empty, `.` or `..` path segments");
    }
    return new FileNameTemplate(parts);
  }

  /**
   * The file name (relative path) for one message.
   * @param message - the message
   * @param body - its parsed JSON body, when {@link FileNameTemplate.needsBody}
   * @throws FatalError when a placeholder has no value, or a value is empty, `.`/`..`, or holds a
   *   path separator (the value itself is not repeated: it is message data)
   */
  render(message: Message, body: unknown): string {
    let out = "";
    for (const part of this.#parts) {
      if ("literal" in part) {
        out += part.literal;
        continue;
      }
      const value = resolve(part.placeholder, message, body);
      const text =
        typeof value === "string" || typeof value === "number" || typeof value === "boolean"
          ? String(value)
          : undefined;
      const where = `message ${message.id}: fileName placeholder {{ ${part.placeholder.text} }}`;
      if (text === undefined) {
        throw new FatalError(
          `${where} has ${value === undefined ? "no value" : `a ${value === null ? "null" : typeof value} value`} in this message: ` +
            "it must be a string, number or boolean",
        );
      }
      if (text === "" || text === "." || text === ".." || /[/\\\0]/.test(text)) {
        throw new FatalError(
          `${where} gave a value that is empty, \`.\`/\`..\`, or contains a path separator: a message may not choose ` +
            "where outside its file name it is written",
        );
      }
      out += text;
    }
    return out;
  }
}

/**
 * The first problem with a template, or `undefined` if it compiles (for the config schema).
 * @param text - the template
 */
export function fileNameProblem(text: string): string | undefined {
  try {
    FileNameTemplate.compile(text);
    return undefined;
  } catch (error) {
    if (error instanceof FileNameTemplateError) return error.message;
    throw error;
  }
}

function parsePlaceholder(raw: string): Placeholder {
  const text = raw.trim();
  const bad = (why: string) =>
    new FileNameTemplateError(
      `{{${raw}}} ${why}: use {{ $id }}, {{ $date }}, {{ $header.name }} or {{ field.path }} (a field of the JSON body)`,
    );
  if (text === "") throw bad("is empty");
  if (text === "$id") return { source: "id", text };
  if (text === "$date") return { source: "date", text };
  if (text.startsWith("$header.")) {
    const name = text.slice("$header.".length);
    if (!HEADER_NAME.test(name)) throw bad("does not name a valid header");
    return { source: "header", text, name: name.toLowerCase() };
  }
  if (text.startsWith("$")) throw bad(`uses an unknown variable "${text.split(".")[0]}"`);
  const path = text.split(".");
  for (const segment of path) {
    if (!SEGMENT.test(segment)) throw bad(`has an invalid path segment "${segment}"`);
    if (RESERVED.has(segment)) throw bad(`names the reserved segment "${segment}"`);
  }
  return { source: "body", text, path };
}

function resolve(placeholder: Placeholder, message: Message, body: unknown): unknown {
  switch (placeholder.source) {
    case "id":
      return message.id;
    case "date":
      // The ingestion date, not today's: a retry on another day writes the same file.
      return message.meta.createdAt.slice(0, 10);
    case "header": {
      const entry = Object.entries(message.headers).find(([name]) => name.toLowerCase() === placeholder.name);
      return entry?.[1];
    }
    case "body": {
      let node = body;
      for (const segment of placeholder.path) {
        if (Array.isArray(node)) node = INDEX.test(segment) ? node[Number(segment)] : undefined;
        else if (typeof node === "object" && node !== null && Object.hasOwn(node, segment)) {
          node = (node as Record<string, unknown>)[segment];
        } else return undefined;
      }
      return node;
    }
  }
}
