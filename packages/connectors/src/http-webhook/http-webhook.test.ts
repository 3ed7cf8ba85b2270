import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import {
  type CheckpointStore,
  ConfigError,
  collectBytes,
  type Emit,
  type EmitResult,
  RetryableError,
  toBodySource,
} from "@vrsky/sdk";
import { captureLogs, createTestContext, type RunConsumerOptions, runConsumer } from "@vrsky/sdk/testing";
import { describeConformance } from "@vrsky/sdk/testing/vitest";
import { afterEach, describe, expect, it, vi } from "vitest";
import { freePort, isPortFree } from "./__fixtures__/free-port.js";
import httpWebhook from "./index.js";
import { runningServers } from "./webhook-server.js";

const push = readFileSync(new URL("./__fixtures__/github-push.json", import.meta.url), "utf8");
const SECRET = "It's a Secret to Everybody";

const githubHeaders = (delivery: string): Record<string, string> => ({
  "content-type": "application/json",
  "user-agent": "GitHub-Hookshot/044aadd",
  "x-github-event": "push",
  "x-github-delivery": delivery,
});

const sign = (body: string, secret = SECRET): string =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** Stops whatever a test started, even when it fails half-way. */
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function waitUntilServing(port: number, paths: number): Promise<void> {
  await vi.waitFor(
    async () => {
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await health.json()).toEqual({ status: "ok", paths });
    },
    { timeout: 5000, interval: 20 },
  );
}

/** Runs the webhook as the runtime would (test kit's runConsumer) until `stop()`. */
async function runWebhook(config: Record<string, unknown>, options: RunConsumerOptions = {}, paths = 1) {
  const port = typeof config.port === "number" ? config.port : await freePort();
  const controller = new AbortController();
  const run = runConsumer(
    httpWebhook,
    { host: "127.0.0.1", ...config, port },
    { timeoutMs: 60_000, signal: controller.signal, ...options },
  );
  const stop = async () => {
    controller.abort();
    return run;
  };
  cleanups.push(stop);
  await Promise.race([waitUntilServing(port, paths), run]);
  const url = (path = String(config.path)) => `http://127.0.0.1:${port}${path}`;
  return { port, url, stop, run };
}

const noCheckpoint: CheckpointStore<unknown> = { load: async () => undefined, save: async () => {} };

/** Starts the webhook with a hand-written `emit`, for outcomes the test kit's emit cannot produce. */
async function startWithEmit(config: Record<string, unknown>, emit: Emit) {
  const port = await freePort();
  const handle = await createTestContext(httpWebhook, { config: { host: "127.0.0.1", ...config, port } });
  const started = httpWebhook.start({ ...handle.ctx, checkpoint: noCheckpoint }, emit);
  const stop = async () => {
    handle.abort();
    await started;
    await handle.close();
  };
  cleanups.push(stop);
  await Promise.race([waitUntilServing(port, 1), started]);
  return { url: `http://127.0.0.1:${port}${String(config.path)}`, handle };
}

/** An emit that reads the body like the runtime and resolves once `release()` is called. */
function gatedEmit() {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const waiting: string[] = [];
  let n = 0;
  const emit: Emit = async (init) => {
    const source = toBodySource(init);
    if (source.type === "stream") await collectBytes(source.stream);
    waiting.push(init.key ?? "");
    await gate;
    return { id: `m${++n}`, duplicate: false } satisfies EmitResult;
  };
  return { emit, waiting, release: () => open() };
}

describe("http-webhook", () => {
  it("answers 202 with the message id and emits the body, forwarded headers and content type", async () => {
    const webhook = await runWebhook({ path: "/hooks/github" });
    const response = await fetch(webhook.url(), {
      method: "POST",
      headers: { ...githubHeaders("d-1"), "x-not-forwarded": "internal" },
      body: push,
    });
    expect(response.status).toBe(202);
    const answer = await response.json();

    const { messages } = await webhook.stop();
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(answer).toEqual({ id: message?.id, duplicate: false });
    expect(await message?.json()).toEqual(JSON.parse(push));
    expect(message?.contentType).toBe("application/json");
    expect(message?.headers).toEqual({
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/044aadd",
      "x-github-event": "push",
    });
  });

  it("does not answer before the runtime has accepted the message", async () => {
    const { emit, waiting, release } = gatedEmit();
    const { url } = await startWithEmit({ path: "/hooks/github" }, emit);
    let answered = false;
    const response = fetch(url, { method: "POST", headers: githubHeaders("d-1"), body: push }).then((r) => {
      answered = true;
      return r;
    });
    await vi.waitFor(() => expect(waiting).toEqual(["d-1"]));
    // The request is inside emit now; one more turn of the loop must not produce an answer.
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    release();
    expect((await response).status).toBe(202);
  });

  it("uses the delivery id as the key, so a redelivery is answered duplicate and emitted once", async () => {
    const webhook = await runWebhook({ path: "/hooks/github" });
    const send = () => fetch(webhook.url(), { method: "POST", headers: githubHeaders("d-42"), body: push });
    const first = (await (await send()).json()) as { id: string };
    const second = await (await send()).json();
    expect(second).toEqual({ id: first.id, duplicate: true });
    const result = await webhook.stop();
    expect(result.messages).toHaveLength(1);
    expect(result.duplicates).toBe(1);
  });

  it("accepts a correctly signed request and answers 401 to a bad or missing signature, emitting nothing for them", async () => {
    const { logger, records } = captureLogs();
    const webhook = await runWebhook(
      { path: "/hooks/github", auth: { type: "hmac", secret: SECRET } },
      { logger },
    );
    const post = (headers: Record<string, string>) =>
      fetch(webhook.url(), { method: "POST", headers: { ...githubHeaders("d-1"), ...headers }, body: push });

    expect((await post({ "x-hub-signature-256": sign(push, "wrong secret") })).status).toBe(401);
    expect((await post({ "x-hub-signature-256": sign(`${push} `) })).status).toBe(401);
    expect((await post({})).status).toBe(401);
    expect(
      (await post({ "x-hub-signature-256": sign(push).toUpperCase().replace("SHA256=", "sha256=") })).status,
    ).toBe(202);

    const { messages } = await webhook.stop();
    expect(messages).toHaveLength(1);
    expect(await messages[0]?.text()).toBe(push);
    const logged = JSON.stringify(records);
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain(sign(push).slice(7));
  });

  it("verifies base64 signatures sent without a prefix, Shopify-style", async () => {
    const auth = {
      type: "hmac",
      header: "x-shopify-hmac-sha256",
      prefix: "",
      encoding: "base64",
      secret: SECRET,
    };
    const webhook = await runWebhook({ path: "/hooks/shopify", auth });
    const digest = createHmac("sha256", SECRET).update(push).digest("base64");
    const post = (signature: string) =>
      fetch(webhook.url(), { method: "POST", headers: { "x-shopify-hmac-sha256": signature }, body: push });
    expect((await post(digest.toLowerCase())).status).toBe(401);
    expect((await post(digest)).status).toBe(202);
  });

  it("answers 401 without the API key or with a wrong one, and 202 with the right one", async () => {
    const key = "k_live_2b7f0c1e9a";
    const webhook = await runWebhook({ path: "/hooks/shop", auth: { type: "api-key", key } });
    const post = (headers: Record<string, string>) =>
      fetch(webhook.url(), {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: "{}",
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ "x-api-key": `${key}x` })).status).toBe(401);
    expect((await post({ "x-api-key": key })).status).toBe(202);
    expect((await webhook.stop()).messages).toHaveLength(1);
  });

  it("answers 413 to a body over maxBodyBytes, whether its length is declared or streamed", async () => {
    const webhook = await runWebhook({ path: "/in", maxBodyBytes: 1024 });
    const declared = await fetch(webhook.url(), { method: "POST", body: "x".repeat(2048) });
    expect(declared.status).toBe(413);
    async function* chunks() {
      yield new Uint8Array(800).fill(1);
      yield new Uint8Array(800).fill(2);
    }
    const streamed = await fetch(webhook.url(), { method: "POST", body: chunks(), duplex: "half" });
    expect(streamed.status).toBe(413);
    const exact = new Uint8Array(1024).fill(7);
    expect((await fetch(webhook.url(), { method: "POST", body: exact })).status).toBe(202);
    const { messages } = await webhook.stop();
    expect(messages).toHaveLength(1);
    expect(Buffer.from((await messages[0]?.bytes()) ?? []).equals(exact)).toBe(true);
    expect(messages[0]?.contentType).toBe("application/octet-stream");
  });

  it("answers 503 with Retry-After when the runtime cannot accept the message", async () => {
    const crashing = await runWebhook({ path: "/hooks/github" }, { accept: () => false });
    const refused = await fetch(crashing.url(), {
      method: "POST",
      headers: githubHeaders("d-1"),
      body: push,
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect((await crashing.run).messages).toEqual([]);

    const full: Emit = async () => {
      throw new RetryableError("stream full", { retryAfterMs: 2500 });
    };
    const { url } = await startWithEmit({ path: "/hooks/github" }, full);
    const busy = await fetch(url, { method: "POST", body: push });
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("3");
  });

  it("answers 500 with a generic message when emit fails unexpectedly, keeping the details in the log", async () => {
    const broken: Emit = async () => {
      throw new Error("nats: permissions violation for publish to int.x.in");
    };
    const { url, handle } = await startWithEmit({ path: "/hooks/github" }, broken);
    const response = await fetch(url, { method: "POST", body: push });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: "internal error" });
    expect(handle.logs.find((r) => r.level === "error")?.err).toMatchObject({
      message: "nats: permissions violation for publish to int.x.in",
    });
  });

  it("answers 429 at once when maxInFlight requests are already waiting, then serves them", async () => {
    const { emit, waiting, release } = gatedEmit();
    const { url } = await startWithEmit({ path: "/hooks/github", maxInFlight: 2 }, emit);
    const send = (id: string) => fetch(url, { method: "POST", headers: githubHeaders(id), body: push });
    const first = send("d-1");
    const second = send("d-2");
    await vi.waitFor(() => expect(waiting).toHaveLength(2));
    const third = await send("d-3");
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBe("1");
    release();
    expect((await first).status).toBe(202);
    expect((await second).status).toBe(202);
    expect(waiting).toEqual(["d-1", "d-2"]);
  });

  it("answers 405 to a method the step does not accept and 404 to a path nobody serves", async () => {
    const webhook = await runWebhook({ path: "/hooks/github", methods: ["POST", "PUT"] });
    const get = await fetch(webhook.url());
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST, PUT");
    expect((await fetch(webhook.url("/hooks/gitlab"), { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(webhook.url(), { method: "PUT", body: "{}" })).status).toBe(202);
  });

  it("answers 204 without a body when responseStatus is 204", async () => {
    const webhook = await runWebhook({ path: "/in", responseStatus: 204 });
    const response = await fetch(webhook.url(), { method: "POST", body: "ping" });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
  });

  it("serves several steps on one port, each on its own path, and frees the port after the last stops", async () => {
    const port = await freePort();
    const github = await runWebhook({ port, path: "/hooks/github" });
    const shop = await runWebhook({ port, path: "/hooks/shop" }, {}, 2);
    expect(runningServers()).toContain(`127.0.0.1:${port}`);

    expect((await fetch(github.url(), { method: "POST", body: "from github" })).status).toBe(202);
    expect((await fetch(shop.url(), { method: "POST", body: "from shop" })).status).toBe(202);

    const githubResult = await github.stop();
    expect(await githubResult.messages[0]?.text()).toBe("from github");
    await waitUntilServing(port, 1);
    expect((await fetch(github.url(), { method: "POST", body: "late" })).status).toBe(404);

    const shopResult = await shop.stop();
    expect(shopResult.messages).toHaveLength(1);
    expect(await shopResult.messages[0]?.text()).toBe("from shop");
    expect(runningServers()).not.toContain(`127.0.0.1:${port}`);
    expect(await isPortFree(port)).toBe(true);
  });

  it("refuses to start a second step on a path already served on the same port", async () => {
    const first = await runWebhook({ path: "/hooks/github" });
    const second = runConsumer(httpWebhook, { host: "127.0.0.1", port: first.port, path: "/hooks/github" });
    await expect(second).rejects.toThrow(ConfigError);
    await expect(second).rejects.toThrow(/already served/);
    expect((await fetch(first.url(), { method: "POST", body: "still served" })).status).toBe(202);
  });

  it("refuses the reserved health path and unknown auth types in the config", async () => {
    await expect(runConsumer(httpWebhook, { path: "/healthz" })).rejects.toThrow(/reserved/);
    await expect(runConsumer(httpWebhook, { path: "/in", auth: { type: "oauth" } })).rejects.toThrow(
      ConfigError,
    );
  });
});

// The conformance suite's consumer checks need traffic: a GitHub-like sender in a worker thread
// posts signed deliveries and re-sends each until it gets a 2xx, so a delivery refused during
// the simulated crash must arrive again after the restart.
const conformancePort = await freePort();
let sender: Worker | undefined;
describeConformance(httpWebhook, {
  config: {
    host: "127.0.0.1",
    port: conformancePort,
    path: "/hooks/github",
    auth: { type: "hmac", secret: SECRET },
  },
  invalidConfigs: [
    { config: { path: "/healthz" }, reason: "the health path is reserved" },
    { config: { path: "hooks/github" }, reason: "the path does not start with /" },
    { config: { path: "/in", port: 70_000 }, reason: "the port is out of range" },
    { config: { path: "/in", auth: { type: "hmac" } }, reason: "hmac auth needs a secret" },
    { config: { path: "/in", auth: { type: "api-key", key: "" } }, reason: "the API key is empty" },
    { config: { path: "/in", methods: [] }, reason: "no method is accepted" },
  ],
  messages: 4,
  timeoutMs: 10_000,
  setup() {
    sender = new Worker(new URL("./__fixtures__/webhook-sender.mjs", import.meta.url), {
      workerData: { url: `http://127.0.0.1:${conformancePort}/hooks/github`, secret: SECRET },
    });
  },
  async teardown() {
    await sender?.terminate();
  },
});
