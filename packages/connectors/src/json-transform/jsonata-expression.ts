import { ConfigError, FatalError, z } from "@vrsky/sdk";
import jsonata from "jsonata";

/**
 * Longest time one evaluation may run, in milliseconds. A runaway expression (an unbounded
 * recursion, a huge range) then fails its message instead of stalling the step.
 */
export const JSONATA_TIMEOUT_MS = 2_000;

/** Deepest recursion one evaluation may reach, so user lambdas cannot exhaust the JS stack. */
export const JSONATA_MAX_DEPTH = 500;

/** Longest excerpt of a JSONata error message kept in a dead-letter reason. */
const MAX_REASON_LENGTH = 300;

/** A compiled JSONata expression. */
export type CompiledExpression = jsonata.Expression;

/** The parts of a JSONata error worth reporting. */
interface JsonataErrorInfo {
  code: string | undefined;
  position: number | undefined;
  message: string;
}

function jsonataErrorInfo(error: unknown): JsonataErrorInfo {
  if (typeof error !== "object" || error === null)
    return { code: undefined, position: undefined, message: String(error) };
  const { code, position, message } = error as { code?: unknown; position?: unknown; message?: unknown };
  return {
    code: typeof code === "string" ? code : undefined,
    position: typeof position === "number" ? position : undefined,
    message: typeof message === "string" ? message : String(error),
  };
}

function excerpt(text: string): string {
  return text.length <= MAX_REASON_LENGTH ? text : `${text.slice(0, MAX_REASON_LENGTH)}…`;
}

/**
 * Compiles a JSONata expression, or returns why it does not compile.
 * @param source - the expression text
 * @returns the expression, or the syntax problem with its 1-based character position
 */
export function tryCompile(
  source: string,
): { ok: true; expression: CompiledExpression } | { ok: false; reason: string } {
  try {
    return {
      ok: true,
      expression: jsonata(source, { timeout: JSONATA_TIMEOUT_MS, stack: JSONATA_MAX_DEPTH }),
    };
  } catch (error) {
    const info = jsonataErrorInfo(error);
    const at = info.position === undefined ? "" : ` at position ${info.position}`;
    return {
      ok: false,
      reason: `JSONata syntax error${at}${info.code ? ` (${info.code})` : ""}: ${info.message}`,
    };
  }
}

/**
 * Compiles a JSONata expression taken from a connector config.
 *
 * @param source - the expression text
 * @param path - dotted config path of the field, e.g. `expression` or `routes.0.when`
 * @returns the compiled expression, reusable for every message
 * @throws ConfigError naming `path` and the JSONata syntax error with its position
 */
export function compileExpression(source: string, path: string): CompiledExpression {
  const result = tryCompile(source);
  if (!result.ok) throw new ConfigError([{ path, message: result.reason }]);
  return result.expression;
}

/**
 * A zod string schema that accepts only JSONata expressions that compile, so `vrsky validate`
 * reports syntax errors before anything runs.
 * @example
 * ```ts
 * const Config = z.object({ expression: jsonataExpression().describe("…") });
 * ```
 */
export function jsonataExpression(): z.ZodString {
  return z
    .string()
    .min(1)
    .check((ctx) => {
      const result = tryCompile(ctx.value);
      if (!result.ok) ctx.issues.push({ code: "custom", message: result.reason, input: ctx.value });
    });
}

/**
 * Evaluates a compiled expression against one message's value.
 *
 * @param expression - from {@link compileExpression}
 * @param input - the parsed JSON body
 * @param bindings - `$name` variables visible to the expression
 * @param where - what is being evaluated, for the error, e.g. `message 42: expression`
 * @returns the result; `undefined` when the expression matched nothing
 * @throws FatalError with the JSONata error code, position and message
 */
export async function evaluateExpression(
  expression: CompiledExpression,
  input: unknown,
  bindings: Record<string, unknown>,
  where: string,
): Promise<unknown> {
  try {
    return await expression.evaluate(input, bindings);
  } catch (cause) {
    const info = jsonataErrorInfo(cause);
    const at = info.position === undefined ? "" : ` at position ${info.position}`;
    throw new FatalError(
      `${where}: JSONata evaluation failed${at}${info.code ? ` (${info.code})` : ""}: ${excerpt(info.message)}`,
      { cause },
    );
  }
}
