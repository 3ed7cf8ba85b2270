import { describe, expect, it } from "vitest";
import { z } from "zod";
import { configJsonSchema, secret } from "../../config.js";
import { unmarkedSecretFields } from "./check-manifest.js";

describe("unmarkedSecretFields", () => {
  it("flags credential-like leaf fields that are not marked secret", () => {
    const schema = configJsonSchema(
      z.object({
        apiKey: z.string(),
        auth: z.object({ password: z.string().optional(), user: z.string() }),
        client_secret: z.string().nullable(),
        tokens: z.array(z.object({ accessToken: z.string() })),
      }),
    );
    expect(unmarkedSecretFields(schema).sort()).toEqual([
      "apiKey",
      "auth.password",
      "client_secret",
      "tokens.*.accessToken",
    ]);
  });

  it("accepts marked secrets and names that only look alike", () => {
    const schema = configJsonSchema(
      z.object({
        token: secret(z.string()),
        password: secret(z.string()).optional(),
        tokenUrl: z.url(),
        maxTokens: z.number(),
        credentials: z.object({ user: z.string() }),
      }),
    );
    expect(unmarkedSecretFields(schema)).toEqual([]);
  });
});
