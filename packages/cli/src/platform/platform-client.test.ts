import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createTenantWithKey, startTestPlatform, type TestPlatform } from "@vrsky/platform-api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliError } from "../cli-error.js";
import { PlatformClient } from "./platform-client.js";
import { PlatformError } from "./platform-error.js";
import { SearchResult } from "./registry-api.js";

function client(url: string, key: string): PlatformClient {
  return new PlatformClient({ url, key, profile: "default", source: "profile" });
}

describe("PlatformClient", () => {
  let platform: TestPlatform;
  let url = "";
  let key = "";
  beforeAll(async () => {
    platform = await startTestPlatform();
    await platform.api.listen({ host: "127.0.0.1", port: 0 });
    url = `http://127.0.0.1:${(platform.api.server.address() as AddressInfo).port}`;
    ({ key } = await createTenantWithKey(platform.api, ["registry:read", "registry:write"]));
  });
  afterAll(() => platform?.stop());

  it("sends the key as a bearer token and parses the answer with the schema", async () => {
    const result = await client(url, key).request("GET", "/v1/connectors", undefined, {
      schema: SearchResult,
      query: { q: "nothing-matches", kind: undefined },
    });
    expect(result).toEqual({ items: [] });
  });

  it("turns a problem document into a PlatformError with its detail, code and every issue", async () => {
    const error = await client(url, key)
      .request("POST", "/v1/connectors", { manifest: {}, bundle: "", visibility: "public" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformError);
    expect(error).toMatchObject({
      code: "INVALID_INPUT",
      exitCode: 2,
      status: 400,
      problem: { code: "VALIDATION_FAILED" },
      message: expect.stringContaining("body.manifest"),
    });
    expect((error as PlatformError).issues.length).toBeGreaterThan(1);
  });

  it("reports a refused key as KEY_REJECTED (exit 4) naming only the key's prefix", async () => {
    const wrong = "vrsky_thisKeyWasNeverIssuedByThePlatform0";
    const error = await client(url, wrong)
      .request("GET", "/v1/connectors")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "KEY_REJECTED", exitCode: 4, status: 401 });
    const text = JSON.stringify({ message: (error as CliError).message, s: (error as CliError).suggestions });
    expect(text).toContain("vrsky_thisKe…");
    expect(text).not.toContain(wrong);
  });

  it("reports an unreachable platform as SERVICE_UNAVAILABLE", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await expect(
      client(`http://127.0.0.1:${port}`, key).request("GET", "/v1/connectors"),
    ).rejects.toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      exitCode: 3,
      message: expect.stringMatching(/cannot reach the platform at .*ECONNREFUSED/),
    });
  });

  it("says when the URL answers but is not the control-plane API", async () => {
    const other = createServer((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" }).end("<h1>Bad gateway</h1>");
    });
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = other.address() as AddressInfo;
      const error = await client(`http://127.0.0.1:${port}`, key)
        .request("GET", "/v1/connectors")
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CliError);
      expect(error).toMatchObject({
        code: "SERVICE_UNAVAILABLE",
        message: expect.stringContaining("is it the VRSky control-plane API?"),
      });
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
