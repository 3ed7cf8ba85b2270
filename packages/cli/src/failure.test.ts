import { ConfigError } from "@vrsky/sdk";
import { describe, expect, it } from "vitest";
import { CliError } from "./cli-error.js";
import { describeFailure } from "./failure.js";

describe("describeFailure", () => {
  it("keeps a CliError's code, message and suggestions, with the exit code of its code", () => {
    const error = new CliError("NOT_FOUND", "no vrsky.json in /x", { suggestions: ["run vrsky init"] });
    expect(describeFailure(error)).toEqual({
      code: "NOT_FOUND",
      message: "no vrsky.json in /x",
      exitCode: 2,
      suggestions: ["run vrsky init"],
    });
  });

  it("lists a ConfigError's issues with their lines", () => {
    const error = new ConfigError([{ path: "sinks.db.config.url", message: "expected a URL", line: 12 }], {
      where: "orders.yaml",
    });
    expect(describeFailure(error)).toMatchObject({
      code: "CONFIG_INVALID",
      exitCode: 2,
      where: "orders.yaml",
      issues: [{ path: "sinks.db.config.url", message: "expected a URL", line: 12 }],
    });
  });

  it("maps an unavailable service to exit 3 and suggests vrsky doctor", () => {
    const error = Object.assign(new Error("NATS is not available"), { name: "ServiceUnavailableError" });
    const failure = describeFailure(error);
    expect(failure).toMatchObject({ code: "SERVICE_UNAVAILABLE", exitCode: 3 });
    expect(failure.suggestions.join(" ")).toContain("vrsky doctor");
  });

  it("reports anything else as an unexpected failure with exit 1", () => {
    expect(describeFailure(new TypeError("x is undefined"))).toMatchObject({
      code: "UNEXPECTED",
      exitCode: 1,
    });
  });
});
