import type { FastifySchema, FastifySchemaCompiler, FastifyTypeProvider } from "fastify";
import type { FastifySerializerCompiler } from "fastify/types/schema.js";
import { z } from "zod";

/** Makes `request.body`, `query` and `params` typed from the route's zod schemas. */
export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this["schema"] extends z.ZodType ? z.output<this["schema"]> : unknown;
  serializer: this["schema"] extends z.ZodType ? z.input<this["schema"]> : unknown;
}

/**
 * Validates request parts with the route's zod schemas; the parsed (coerced, defaulted) value
 * replaces the raw one. The `ZodError` reaches the error handler, which reports every issue.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema }) => {
  return (data: unknown) => {
    const result = schema.safeParse(data);
    return result.success ? { value: result.data } : { error: result.error };
  };
};

/** Serialises responses after checking them against the route's zod response schema. */
export const zodSerializerCompiler: FastifySerializerCompiler<z.ZodType> = ({ schema }) => {
  return (data: unknown) => JSON.stringify(schema.parse(data));
};

function isZod(value: unknown): value is z.ZodType {
  return value instanceof z.ZodType;
}

function toJson(schema: unknown, io: "input" | "output"): unknown {
  return isZod(schema)
    ? z.toJSONSchema(schema, { io, target: "openapi-3.0", unrepresentable: "any" })
    : schema;
}

/**
 * `@fastify/swagger` transform: turns a route's zod schemas into JSON Schema, so the OpenAPI
 * document comes from the same schemas that validate requests.
 * @param route - the route's schema and url
 */
export function zodSwaggerTransform({ schema, url }: { schema: FastifySchema; url: string }): {
  schema: FastifySchema;
  url: string;
} {
  if (schema === undefined || schema === null) return { schema, url };
  const out: Record<string, unknown> = { ...schema };
  for (const part of ["body", "querystring", "params", "headers"] as const) {
    if (schema[part] !== undefined) out[part] = toJson(schema[part], "input");
  }
  if (typeof schema.response === "object" && schema.response !== null) {
    out.response = Object.fromEntries(
      Object.entries(schema.response).map(([status, s]) => [status, toJson(s, "output")]),
    );
  }
  return { schema: out, url };
}
