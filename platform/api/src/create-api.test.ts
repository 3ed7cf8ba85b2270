import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApi } from "./create-api.js";
import { bearer, startTestPlatform, TEST_ADMIN_TOKEN, type TestPlatform } from "./test-platform.js";

describe("createApi", () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it("serves an OpenAPI 3 document whose paths carry the JSON Schemas of the zod request schemas", async () => {
    const res = await platform.api.inject({ method: "GET", url: "/openapi.json" });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/v1/tenants",
        "/v1/tenants/{id}",
        "/v1/tenants/{id}/keys",
        "/v1/keys",
        "/v1/keys/{id}",
        "/v1/connectors",
        "/v1/connectors/{name}",
        "/v1/connectors/{name}/versions/{version}/bundle",
        "/v1/connectors/{name}/versions/{version}/yank",
      ]),
    );
    const publish = doc.paths["/v1/connectors"].post;
    const body = publish.requestBody.content["application/json"].schema;
    expect(body.required).toEqual(expect.arrayContaining(["manifest", "bundle"]));
    expect(body.properties.manifest.properties.kind.enum).toEqual([
      "consumer",
      "producer",
      "converter",
      "filter",
    ]);
    expect(body.properties.visibility.enum).toEqual(["public", "private"]);
    expect(publish.responses["201"].content["application/json"].schema.properties.sha256).toBeDefined();
    const search = doc.paths["/v1/connectors"].get.parameters.map(
      (p: { name: string; in: string }) => p.name,
    );
    expect(search).toEqual(expect.arrayContaining(["kind", "category", "q"]));
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.paths["/openapi.json"]).toBeUndefined();
  });

  it("serves the interactive reference at /docs", async () => {
    const res = await platform.api.inject({ method: "GET", url: "/docs/" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/html/);
  });

  it("answers unknown routes with a 404 problem document", async () => {
    const res = await platform.api.inject({ method: "GET", url: "/v1/nope?x=1" });
    expect(res.statusCode).toBe(404);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      status: 404,
      code: "NOT_FOUND",
      type: expect.stringContaining("not-found"),
    });
  });

  it("answers malformed JSON with a 400 problem document", async () => {
    const res = await platform.api.inject({
      method: "POST",
      url: "/v1/tenants",
      headers: { ...bearer(TEST_ADMIN_TOKEN), "content-type": "application/json" },
      payload: "{not json",
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ status: 400, code: "BAD_REQUEST" });
  });

  it("refuses an admin token too short to be safe", async () => {
    await expect(
      createApi({
        databaseUrl: platform.databaseUrl,
        bundles: { put: async () => {}, get: async () => new Uint8Array(), delete: async () => {} },
        adminToken: "short",
      }),
    ).rejects.toThrow(/at least 16 characters/);
  });
});
