import { FatalError, z } from "@vrsky/sdk";

// Object keys that would reach the prototype chain; a template may never name them.
const RESERVED_SEGMENTS = new Set(["__proto__", "constructor", "prototype"]);
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** Where a placeholder reads its value from. */
type Placeholder =
  | { readonly source: "id"; readonly expression: string }
  | { readonly source: "header"; readonly expression: string; readonly name: string }
  | { readonly source: "body"; readonly expression: string; readonly path: readonly string[] };

type Part = { readonly text: string } | { readonly placeholder: Placeholder };

/** What a template is rendered against: one message's id, headers and parsed JSON body. */
export interface TemplateScope {
  /** The message id (`{{ $id }}`). */
  readonly id: string;
  /** The message headers (`{{ $header.name }}`, looked up case-insensitively). */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body; only read when the template names a body field. */
  readonly body: unknown;
}

/**
 * Turns a substituted value into text for its destination: `encodeURIComponent` for URLs,
 * Slack's mrkdwn escaping for chat text, identity for headers.
 */
export type ValueEncoder = (value: string) => string;

/**
 * A compiled `{{ … }}` template: literal text with placeholders that read the message id
 * (`{{ $id }}`), a header (`{{ $header.x-request-id }}`) or a field of the JSON body by dotted
 * path (`{{ order.items.0.sku }}`). Nothing is evaluated: a placeholder is a lookup, never code.
 *
 * @example
 * ```ts
 * const url = Template.compile("https://api.example.com/orders/{{ order.id }}", "url");
 * url.render({ id: "m1", headers: {}, body: { order: { id: "A/1" } } }, encodeURIComponent);
 * // "https://api.example.com/orders/A%2F1"
 * ```
 */
export class Template {
  readonly #parts: readonly Part[];
  readonly #where: string;

  private constructor(parts: readonly Part[], where: string) {
    this.#parts = parts;
    this.#where = where;
  }

  /**
   * Parses a template.
   * @param text - the template text
   * @param where - the config field it came from, named in errors (e.g. `url`, `headers.x-tenant`)
   * @throws TemplateSyntaxError naming the field and the bad placeholder
   */
  static compile(text: string, where: string): Template {
    const parts: Part[] = [];
    let last = 0;
    for (const match of text.matchAll(PLACEHOLDER)) {
      const literal = text.slice(last, match.index);
      checkLiteral(literal, where);
      if (literal !== "") parts.push({ text: literal });
      parts.push({ placeholder: parsePlaceholder(match[1] ?? "", where) });
      last = match.index + match[0].length;
    }
    const rest = text.slice(last);
    checkLiteral(rest, where);
    if (rest !== "") parts.push({ text: rest });
    return new Template(parts, where);
  }

  /** Whether rendering reads the JSON body (so a body that is not JSON only fails templates that need it). */
  get needsBody(): boolean {
    return this.#parts.some((p) => "placeholder" in p && p.placeholder.source === "body");
  }

  /** The literal text before the first placeholder (the whole text when there is none). */
  get literalPrefix(): string {
    const first = this.#parts[0];
    if (!first || !("text" in first)) return "";
    return first.text;
  }

  /**
   * If the whole template is one placeholder, its value with its JSON type kept (a number stays
   * a number); otherwise `undefined`. JSON templates use it so `"{{ order.total }}"` renders as
   * `42`, not `"42"`.
   * @param scope - the message to read from
   * @throws FatalError if the placeholder has no value in the message
   */
  renderValue(scope: TemplateScope): { value: unknown } | undefined {
    const [only, ...more] = this.#parts;
    if (!only || more.length > 0 || !("placeholder" in only)) return undefined;
    return { value: resolve(only.placeholder, scope, this.#where) };
  }

  /**
   * Renders the template to text.
   * @param scope - the message to read from
   * @param encode - applied to each substituted value, never to the literal text
   * @throws FatalError naming the field and placeholder if a value is missing from the message
   */
  render(scope: TemplateScope, encode: ValueEncoder = (value) => value): string {
    let out = "";
    for (const part of this.#parts) {
      out += "text" in part ? part.text : encode(stringify(resolve(part.placeholder, scope, this.#where)));
    }
    return out;
  }
}

/** A template that does not parse; the message names the field and the placeholder. */
export class TemplateSyntaxError extends Error {
  /**
   * @param where - the config field
   * @param problem - what is wrong and how to write it instead
   */
  constructor(where: string, problem: string) {
    super(`${where}: ${problem}`);
    this.name = "TemplateSyntaxError";
  }
}

/**
 * A config string that is a `{{ … }}` template; the schema rejects placeholders that do not
 * parse, so a bad template fails when the integration is deployed, not per message.
 * @param where - the field's name, used in messages
 * @example
 * ```ts
 * const Config = z.object({ text: templateText("text").describe("Message text") });
 * ```
 */
export function templateText(where: string): z.ZodString {
  return z.string().superRefine((text, ctx) => {
    const problem = templateProblem(text, where);
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: text });
  });
}

/**
 * The first problem with a template, or `undefined` if it parses.
 * @param text - the template
 * @param where - the field's name
 */
export function templateProblem(text: string, where: string): string | undefined {
  try {
    Template.compile(text, where);
    return undefined;
  } catch (error) {
    if (error instanceof TemplateSyntaxError) return error.message;
    throw error;
  }
}

function checkLiteral(literal: string, where: string): void {
  const open = literal.indexOf("{{");
  const close = literal.indexOf("}}");
  if (open !== -1 || close !== -1) {
    throw new TemplateSyntaxError(
      where,
      `unbalanced "${open !== -1 ? "{{" : "}}"}": write placeholders as {{ field.path }}, {{ $id }} or {{ $header.name }}`,
    );
  }
}

function parsePlaceholder(raw: string, where: string): Placeholder {
  const expression = raw.trim();
  const bad = (why: string): TemplateSyntaxError =>
    new TemplateSyntaxError(
      where,
      `{{${raw}}} ${why}: use {{ field.path }} (a field of the JSON body), {{ $id }} or {{ $header.name }}`,
    );
  if (expression === "") throw bad("is empty");
  if (expression === "$id") return { source: "id", expression };
  if (expression.startsWith("$header.")) {
    const name = expression.slice("$header.".length);
    if (!HEADER_NAME.test(name)) throw bad("does not name a valid header");
    return { source: "header", expression, name: name.toLowerCase() };
  }
  if (expression.startsWith("$")) throw bad(`uses an unknown variable "${expression.split(".")[0]}"`);
  const path = expression.split(".");
  for (const segment of path) {
    if (!SEGMENT.test(segment)) throw bad(`has an invalid path segment "${segment}"`);
    if (RESERVED_SEGMENTS.has(segment)) throw bad(`names the reserved segment "${segment}"`);
  }
  return { source: "body", expression, path };
}

function resolve(placeholder: Placeholder, scope: TemplateScope, where: string): unknown {
  let value: unknown;
  switch (placeholder.source) {
    case "id":
      return scope.id;
    case "header":
      value = lookupHeader(scope.headers, placeholder.name);
      break;
    case "body":
      value = lookupPath(scope.body, placeholder.path);
      break;
  }
  if (value === undefined) {
    throw new FatalError(
      `message ${scope.id}: ${where}: {{ ${placeholder.expression} }} has no value in the message — ` +
        `send messages that carry ${placeholder.source === "header" ? "the header" : "the field"}, or change the template`,
    );
  }
  return value;
}

function lookupHeader(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  if (Object.hasOwn(headers, name)) return headers[name];
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function lookupPath(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const segment of path) {
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(segment)) return undefined;
      node = node[Number(segment)];
    } else if (typeof node === "object" && node !== null && Object.hasOwn(node, segment)) {
      node = Reflect.get(node, segment);
    } else {
      return undefined;
    }
  }
  return node;
}

function stringify(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  return JSON.stringify(value);
}
