import { describe, expect, it } from "vitest";
import {
  ConfigError,
  describeError,
  ErrorCode,
  FatalError,
  isRetryable,
  RetryableError,
  VrskyError,
} from "./errors.js";

describe("the error hierarchy", () => {
  it("gives each class its name, code and cause", () => {
    const cause = new Error("socket hang up");
    const retryable = new RetryableError("upstream unavailable", { cause, retryAfterMs: 2000 });
    expect(retryable).toBeInstanceOf(VrskyError);
    expect(retryable).toMatchObject({
      name: "RetryableError",
      code: ErrorCode.Retryable,
      retryAfterMs: 2000,
      cause,
    });
    expect(new FatalError("bad")).toMatchObject({ name: "FatalError", code: ErrorCode.Fatal });
    expect(new FatalError("gone", { code: ErrorCode.BlobNotFound }).code).toBe("BLOB_NOT_FOUND");
  });

  it("lists every config issue with its path and position", () => {
    const error = new ConfigError(
      [
        { path: "url", message: "invalid URL", line: 3, column: 7 },
        { path: "", message: "expected object" },
      ],
      { where: "vrsky.yaml" },
    );
    expect(error.message).toBe(
      "Invalid config in vrsky.yaml: 2 problems\n  - url (line 3, column 7): invalid URL\n  - (root): expected object",
    );
    expect(error.code).toBe(ErrorCode.ConfigInvalid);
  });
});

describe("isRetryable", () => {
  it("retries transient and unknown errors but not fatal or config errors", () => {
    expect(isRetryable(new RetryableError("x"))).toBe(true);
    expect(isRetryable(new TypeError("x"))).toBe(true);
    expect(isRetryable("a string")).toBe(true);
    expect(isRetryable(new FatalError("x"))).toBe(false);
    expect(isRetryable(new ConfigError([{ path: "a", message: "b" }]))).toBe(false);
    expect(isRetryable(new VrskyError(ErrorCode.BlobChecksumMismatch, "x"))).toBe(false);
  });
});

describe("describeError", () => {
  it("describes any thrown value without its stack", () => {
    expect(describeError(new FatalError("bad input"))).toEqual({
      name: "FatalError",
      code: "FATAL",
      message: "bad input",
    });
    expect(describeError(new TypeError("x is undefined"))).toEqual({
      name: "TypeError",
      code: "UNEXPECTED",
      message: "x is undefined",
    });
    expect(describeError(42)).toEqual({ name: "NonError", code: "UNEXPECTED", message: "42" });
  });
});
