import { configJsonSchema, secret, secretPaths, z } from "@vrsky/sdk";
import { describe, expect, it } from "vitest";
import { configFields } from "./config-fields.js";

describe("configFields", () => {
  it("lists each field with its type, whether required or secret, default and description", () => {
    const schema = configJsonSchema(
      z.object({
        url: z.url().describe("Where to send."),
        mode: z.enum(["a", "b"]).default("a"),
        retries: z.number().int().optional(),
        auth: z.object({ user: z.string(), token: secret(z.string()) }).optional(),
        headers: z.record(z.string(), secret(z.string())).default({}),
        routes: z.array(z.object({ name: z.string(), when: z.string().optional() })),
        either: z.union([z.literal("x"), z.number()]),
      }),
    );
    const fields = configFields(schema, secretPaths(schema));
    expect(fields).toEqual([
      { name: "url", type: "string (uri)", required: true, secret: false, description: "Where to send." },
      { name: "mode", type: '"a" | "b"', required: false, secret: false, default: "a", description: "" },
      { name: "retries", type: "integer", required: false, secret: false, description: "" },
      { name: "auth", type: "object", required: false, secret: false, description: "" },
      { name: "auth.user", type: "string", required: true, secret: false, description: "" },
      { name: "auth.token", type: "string", required: true, secret: true, description: "" },
      {
        name: "headers",
        type: "map of string",
        required: false,
        secret: true,
        default: {},
        description: "",
      },
      { name: "routes", type: "object[]", required: true, secret: false, description: "" },
      { name: "routes.*.name", type: "string", required: true, secret: false, description: "" },
      { name: "routes.*.when", type: "string", required: false, secret: false, description: "" },
      { name: "either", type: '"x" | number', required: true, secret: false, description: "" },
    ]);
  });

  it("follows $defs references and stops at a recursive one", () => {
    const schema = {
      type: "object",
      properties: { tree: { $ref: "#/$defs/Node" } },
      $defs: {
        Node: {
          type: "object",
          properties: { label: { type: "string" }, child: { $ref: "#/$defs/Node" } },
          required: ["label"],
        },
      },
    };
    expect(configFields(schema, []).map((f) => `${f.name}: ${f.type}`)).toEqual([
      "tree: object",
      "tree.label: string",
      "tree.child: object",
    ]);
  });
});
