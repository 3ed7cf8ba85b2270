import { z } from "@vrsky/sdk";
import { Template, type TemplateScope, TemplateSyntaxError, type ValueEncoder } from "./template.js";

type Node =
  | { readonly kind: "literal"; readonly value: unknown }
  | { readonly kind: "template"; readonly template: Template }
  | { readonly kind: "array"; readonly items: readonly Node[] }
  | { readonly kind: "object"; readonly entries: readonly (readonly [string, Node])[] };

/**
 * A JSON document whose string values may hold `{{ … }}` placeholders (see {@link Template}).
 * It is rendered as a value, not as text, so substituted values are always correctly
 * JSON-escaped; a string that is exactly one placeholder keeps the value's JSON type
 * (`"{{ order.total }}"` → `42`, `"{{ order.items }}"` → the array). Object keys are literal.
 *
 * @example
 * ```ts
 * const body = JsonTemplate.compile({ ref: "{{ order.id }}", total: "{{ order.total }}" }, "body.template");
 * body.render({ id: "m1", headers: {}, body: { order: { id: "A-1", total: 42 } } });
 * // { ref: "A-1", total: 42 }
 * ```
 */
export class JsonTemplate {
  readonly #root: Node;
  /** Whether rendering reads the message's JSON body. */
  readonly needsBody: boolean;

  private constructor(root: Node, needsBody: boolean) {
    this.#root = root;
    this.needsBody = needsBody;
  }

  /**
   * Compiles every string in a JSON value as a template.
   * @param value - the JSON document from the config
   * @param where - the config field, named in errors with the path inside the document
   * @throws TemplateSyntaxError naming the path of the first bad template
   */
  static compile(value: unknown, where: string): JsonTemplate {
    let needsBody = false;
    const walk = (node: unknown, at: string): Node => {
      if (typeof node === "string") {
        const template = Template.compile(node, at);
        needsBody ||= template.needsBody;
        return { kind: "template", template };
      }
      if (Array.isArray(node))
        return { kind: "array", items: node.map((item, i) => walk(item, `${at}.${i}`)) };
      if (typeof node === "object" && node !== null) {
        return {
          kind: "object",
          entries: Object.entries(node).map(([key, child]) => [key, walk(child, `${at}.${key}`)] as const),
        };
      }
      return { kind: "literal", value: node };
    };
    const root = walk(value, where);
    return new JsonTemplate(root, needsBody);
  }

  /**
   * Renders the document for one message.
   * @param scope - the message to read from
   * @param encode - applied to every substituted string value
   * @throws FatalError naming the path and placeholder if a value is missing from the message
   */
  render(scope: TemplateScope, encode: ValueEncoder = (value) => value): unknown {
    const walk = (node: Node): unknown => {
      switch (node.kind) {
        case "literal":
          return node.value;
        case "array":
          return node.items.map(walk);
        case "object":
          return Object.fromEntries(node.entries.map(([key, child]) => [key, walk(child)]));
        case "template": {
          const whole = node.template.renderValue(scope);
          if (!whole) return node.template.render(scope, encode);
          return typeof whole.value === "string" ? encode(whole.value) : whole.value;
        }
      }
    };
    return walk(this.#root);
  }
}

/**
 * A config field holding a JSON document with `{{ … }}` placeholders in its strings; the
 * schema rejects placeholders that do not parse.
 * @param where - the field's name, used in messages
 */
export function jsonTemplate(where: string): z.ZodJSONSchema {
  return z.json().superRefine((value, ctx) => {
    try {
      JsonTemplate.compile(value, where);
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error;
      ctx.addIssue({ code: "custom", message: error.message, input: value });
    }
  });
}
