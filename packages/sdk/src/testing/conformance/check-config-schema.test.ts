import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineConverter } from "../../connector.js";
import { checkConfigSchema } from "./check-config-schema.js";

const withConfig = (config: z.ZodType, examples: { title: string; config: unknown }[] = []) =>
  defineConverter({
    name: "probe",
    version: "1.0.0",
    description: "Probes config checks.",
    config,
    examples,
    convert: () => null,
  });

describe("checkConfigSchema", () => {
  it("passes a schema that rejects null, numbers and configs missing a required field", () => {
    const connector = withConfig(z.object({ url: z.url(), retries: z.number().default(3) }));
    expect(checkConfigSchema(connector, { config: { url: "https://x" } })).toEqual({ status: "pass" });
  });

  it("fails a schema that accepts anything, naming what it accepted", () => {
    const outcome = checkConfigSchema(withConfig(z.unknown()), {
      config: {},
      invalidConfigs: [{ config: { url: 1 }, reason: "url must be a string" }],
    });
    expect(outcome.status).toBe("fail");
    const message = outcome.status === "fail" ? outcome.message : "";
    expect(message).toMatch(/accepted null, which must be rejected/);
    expect(message).toMatch(
      /accepted options.invalidConfigs\[0\], which must be rejected \(url must be a string\)/,
    );
  });

  it("fails a schema whose preprocess throws a TypeError on bad input", () => {
    const fragile = z.preprocess(
      (v) => ({ ...(v as object), host: (v as { host: string }).host.trim() }),
      z.object({ host: z.string() }),
    );
    const outcome = checkConfigSchema(withConfig(fragile), { config: { host: " h " } });
    expect(outcome).toMatchObject({
      status: "fail",
      message: expect.stringMatching(/null made the schema throw TypeError/),
    });
  });

  it("fails when the given config or an example is rejected, without printing secrets", () => {
    const connector = withConfig(z.object({ token: z.string().min(10) }), [
      { title: "short", config: { token: "s3cr3t" } },
    ]);
    const outcome = checkConfigSchema(connector, { config: { token: "also-s3cr3t" } });
    const message = outcome.status === "fail" ? outcome.message : "";
    expect(message).toMatch(/example "short"[\s\S]*token/);
    expect(message).not.toContain("s3cr3t");
  });
});
