import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { ConfigError, FatalError, RetryableError } from "@vrsky/sdk";
import { createTestMessage, MemoryBlobStore, runProducer } from "@vrsky/sdk/testing";
import { describeConformance } from "@vrsky/sdk/testing/vitest";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { startRecordingServer } from "../http-shared/__fixtures__/recording-server.js";
import httpOut from "./index.js";

const order = JSON.parse(
  readFileSync(new URL("./__fixtures__/order.json", import.meta.url), "utf8"),
) as unknown;
const TOKEN = "tok_9f8e7d6c5b4a3210";

const server = await startRecordingServer();
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.respond(() => ({ status: 201, body: '{"ok":true}' }));
});

async function deliverOne(config: Record<string, unknown>, input: Parameters<typeof createTestMessage>[0]) {
  const { delivered, failures } = await runProducer(httpOut, config, [await createTestMessage(input)]);
  return { delivered, error: failures[0]?.error };
}

describe("http-out", () => {
  it("sends the body with its content type, the message id as Idempotency-Key, and templated url and headers", async () => {
    const config = {
      url: `${server.url}/orders/{{ order.id }}?region={{ $header.x-region }}`,
      method: "PUT",
      headers: { "X-Order-Ref": "{{ order.id }}", "X-Source": "vrsky" },
    };
    const { delivered, error } = await deliverOne(config, {
      id: "msg-1",
      json: order,
      headers: { "x-region": "eu west" },
    });
    expect(error).toBeUndefined();
    expect(delivered).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe("PUT");
    expect(request?.url).toBe("/orders/A%2F1001?region=eu%20west");
    expect(request?.headers).toMatchObject({
      "content-type": "application/json",
      "idempotency-key": "msg-1",
      "x-order-ref": "A/1001",
      "x-source": "vrsky",
    });
    expect(JSON.parse(request?.body.toString() ?? "")).toEqual(order);
  });

  it("builds a JSON body from a json-template, keeping the type of whole-value placeholders", async () => {
    const config = {
      url: `${server.url}/payments`,
      body: {
        type: "json-template",
        template: {
          reference: "{{ order.id }}",
          amount: "{{ order.total }}",
          lines: "{{ order.items }}",
          note: 'order {{ order.id }} for "{{ order.customer.name }}"',
          messageId: "{{ $id }}",
          fixed: true,
        },
      },
    };
    const { error } = await deliverOne(config, { id: "msg-2", json: order, contentType: "text/plain" });
    expect(error).toBeUndefined();
    const [request] = server.requests;
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.body.toString()).toContain(
      '"note":"order A/1001 for \\"Ada \\"The Countess\\" Lovelace\\""',
    );
    expect(JSON.parse(request?.body.toString() ?? "")).toEqual({
      reference: "A/1001",
      amount: 149.5,
      lines: [
        { sku: "KB-01", qty: 1 },
        { sku: "MS-07", qty: 2 },
      ],
      note: 'order A/1001 for "Ada "The Countess" Lovelace"',
      messageId: "msg-2",
      fixed: true,
    });
  });

  it("sends bearer, basic and secret headers, and keeps them out of error messages even when the target echoes them", async () => {
    server.respond((request) => ({ status: 401, body: `bad credentials: ${request.headers.authorization}` }));
    const bearer = await deliverOne(
      {
        url: server.url,
        auth: { type: "bearer", token: TOKEN },
        secretHeaders: { "X-Api-Key": "key_0123456789" },
      },
      { body: "hi" },
    );
    expect(server.requests[0]?.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      "x-api-key": "key_0123456789",
    });
    expect(bearer.error).toBeInstanceOf(FatalError);
    expect(String(bearer.error)).toContain("[redacted]");
    expect(String(bearer.error)).not.toContain(TOKEN);

    const basic = await deliverOne(
      { url: server.url, auth: { type: "basic", username: "vrsky", password: "pa55-w0rd!" } },
      { body: "hi" },
    );
    const encoded = Buffer.from("vrsky:pa55-w0rd!").toString("base64");
    expect(server.requests[1]?.headers.authorization).toBe(`Basic ${encoded}`);
    expect(String(basic.error)).not.toContain(encoded);
  });

  it("throws a RetryableError with retryAfterMs from Retry-After on 503 and 429", async () => {
    server.respond(() => ({ status: 503, headers: { "retry-after": "7" }, body: "maintenance" }));
    const unavailable = await deliverOne({ url: server.url }, { body: "x" });
    expect(unavailable.error).toBeInstanceOf(RetryableError);
    expect(unavailable.error).toMatchObject({ retryAfterMs: 7000 });
    expect(String(unavailable.error)).toContain("HTTP 503: maintenance");

    const later = new Date(Date.now() + 120_000).toUTCString();
    server.respond(() => ({ status: 429, headers: { "retry-after": later } }));
    const limited = await deliverOne({ url: server.url }, { body: "x" });
    expect(limited.error).toBeInstanceOf(RetryableError);
    expect((limited.error as RetryableError).retryAfterMs).toBeGreaterThan(100_000);
  });

  it("throws a FatalError naming the status and at most 200 characters of the response on 400", async () => {
    server.respond(() => ({ status: 400, body: `{"error":"invalid order","detail":"${"x".repeat(500)}"}` }));
    const { error } = await deliverOne({ url: `${server.url}/orders?token=abc` }, { json: order });
    expect(error).toBeInstanceOf(FatalError);
    const message = (error as FatalError).message;
    expect(message).toContain(
      `POST ${server.url}/orders rejected the request with HTTP 400: {"error":"invalid order"`,
    );
    expect(message).not.toContain("token=abc");
    expect(message).not.toContain("x".repeat(200));
  });

  it("throws a RetryableError when the target does not answer within timeoutMs", async () => {
    server.respond(() => new Promise<never>(() => {}));
    const { error } = await deliverOne({ url: server.url, timeoutMs: 100 }, { body: "x" });
    expect(error).toBeInstanceOf(RetryableError);
    expect(String(error)).toContain("timed out after 100 ms");
  });

  it("throws a RetryableError when the target cannot be reached", async () => {
    const gone = await startRecordingServer();
    await gone.close();
    const { error } = await deliverOne({ url: gone.url }, { body: "x" });
    expect(error).toBeInstanceOf(RetryableError);
    expect(String(error)).toContain("ECONNREFUSED");
  });

  it("streams a 5 MiB claim-checked body to the target byte for byte", async () => {
    const blobs = new MemoryBlobStore();
    const bytes = randomBytes(5 * 1024 * 1024);
    const message = await createTestMessage(
      { body: bytes, contentType: "application/zip", reference: true },
      blobs,
    );
    expect(message.isReference).toBe(true);
    const { failures } = await runProducer(httpOut, { url: `${server.url}/upload` }, [message], { blobs });
    expect(failures).toEqual([]);
    const [request] = server.requests;
    expect(request?.body.byteLength).toBe(bytes.byteLength);
    expect(request?.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(request?.headers["content-type"]).toBe("application/zip");
    expect(request?.headers["content-length"]).toBe(String(bytes.byteLength));
  });

  it("throws the blob store's FatalError when a claim-checked body is gone", async () => {
    const blobs = new MemoryBlobStore();
    const message = await createTestMessage({ body: "large", reference: true }, blobs);
    if (message.body.type === "ref") await blobs.delete(message.body.ref);
    const { failures } = await runProducer(httpOut, { url: server.url }, [message], { blobs });
    expect(failures[0]?.error).toBeInstanceOf(FatalError);
    expect(failures[0]?.error).toMatchObject({ code: "BLOB_NOT_FOUND" });
  });

  it("sends the same Idempotency-Key on every attempt of one message", async () => {
    server.respond((_request, index) => (index === 0 ? { status: 502 } : { status: 200 }));
    const message = await createTestMessage({ id: "msg-retry", json: order });
    const first = await runProducer(httpOut, { url: server.url }, [message]);
    const second = await runProducer(httpOut, { url: server.url }, [message], { attempt: 2 });
    expect(first.failures[0]?.error).toBeInstanceOf(RetryableError);
    expect(second.delivered).toHaveLength(1);
    expect(server.requests.map((r) => r.headers["idempotency-key"])).toEqual(["msg-retry", "msg-retry"]);
  });

  it("throws a FatalError naming the placeholder when the message lacks a templated field", async () => {
    const { error } = await deliverOne(
      { url: `${server.url}/orders/{{ order.id }}` },
      { json: { other: 1 } },
    );
    expect(error).toBeInstanceOf(FatalError);
    expect(String(error)).toContain("url: {{ order.id }} has no value");
    expect(server.requests).toHaveLength(0);
  });

  it("rejects configs whose host is templated or whose placeholders do not parse", async () => {
    for (const url of [
      "https://{{ host }}/x",
      "{{ url }}",
      "https://api.example.com/{{ order..id }}",
      "https://x/{{ a",
    ]) {
      await expect(runProducer(httpOut, { url }, [])).rejects.toThrow(ConfigError);
    }
  });
});

describeConformance(httpOut, {
  get config() {
    return { url: `${server.url}/orders/{{ order.id }}`, auth: { type: "bearer", token: TOKEN } };
  },
  invalidConfigs: [
    { config: { url: "ftp://example.com/x" }, reason: "the scheme is not http(s)" },
    { config: { url: "https://{{ host }}/x" }, reason: "the host is templated" },
    {
      config: { url: "https://api.example.com", auth: { type: "bearer" } },
      reason: "bearer auth needs a token",
    },
    { config: { url: "https://api.example.com", timeoutMs: 0 }, reason: "timeoutMs is not positive" },
    {
      config: { url: "https://api.example.com", method: "TRACE" },
      reason: "TRACE is not a supported method",
    },
  ],
  fixtures: [{ json: order }, { json: { order: { id: "B-2", total: 0, items: [] } } }],
  badInput: { json: { not: "an order" } },
  // An idempotent target: it stores one order per Idempotency-Key, whatever the number of requests.
  observe: async () => new Set(server.requests.map((r) => r.headers["idempotency-key"])),
});
