// The GitHub → Slack example, end to end: the built `vrsky` CLI runs this directory's integration
// on real NATS JetStream; a local HTTP server stands in for Slack's incoming webhook.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { baseEnv, cli, natsUrl } from "../cli-env.js";

const here = import.meta.dirname;
const hookUrl = "http://127.0.0.1:8791/hooks/github";
const secret = `test-secret-${randomUUID()}`;

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(here, "__fixtures__", name), "utf8")) as Record<string, unknown>;

/** What the Slack stand-in received, in arrival order. */
let posts: Record<string, unknown>[] = [];
let slack: Server;
let dev: ChildProcess;
/** The dev session's stderr, shown when it fails to start. */
let devLog = "";

/** Posts a GitHub-style delivery: JSON body, event header, delivery id, HMAC-SHA256 signature. */
async function deliver(
  event: string,
  payload: unknown,
  options: { delivery?: string; signWith?: string | null } = {},
): Promise<{ status: number; body: unknown }> {
  const body = JSON.stringify(payload);
  const signWith = options.signWith === undefined ? secret : options.signWith;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": options.delivery ?? randomUUID(),
  };
  if (signWith !== null) {
    headers["x-hub-signature-256"] = `sha256=${createHmac("sha256", signWith).update(body).digest("hex")}`;
  }
  const res = await fetch(hookUrl, { method: "POST", headers, body });
  return { status: res.status, body: await res.json() };
}

/**
 * Sends an issue whose title is unique and waits until Slack has it. Rejected or duplicate
 * deliveries never enter the pipeline, so once this one arrived nothing sent before it can follow.
 */
async function barrier(): Promise<string> {
  const title = `barrier ${randomUUID()}`;
  const issue = fixture("issue-opened.json");
  expect((await deliver("issues", { ...issue, issue: { ...(issue.issue as object), title } })).status).toBe(
    202,
  );
  await expect.poll(() => posts.some((p) => String(p.text).includes(title)), { timeout: 15_000 }).toBe(true);
  return title;
}

beforeAll(async () => {
  slack = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      posts.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>);
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => slack.listen(0, "127.0.0.1", resolve));
  const { port } = slack.address() as AddressInfo;
  dev = spawn(process.execPath, [cli, "dev", ".", "--no-tui", "--no-watch", "--log-level", "warn"], {
    cwd: here,
    env: {
      ...baseEnv,
      GITHUB_WEBHOOK_SECRET: secret,
      SLACK_WEBHOOK_URL: `http://127.0.0.1:${port}/services/T000/B000/XXXX`,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  dev.stderr?.on("data", (chunk: Buffer) => {
    devLog += chunk.toString("utf8");
  });
  await vi.waitFor(
    async () => {
      if (dev.exitCode !== null) throw new Error(`vrsky dev exited with ${dev.exitCode}:\n${devLog}`);
      expect((await fetch("http://127.0.0.1:8791/healthz")).status).toBe(200);
    },
    { timeout: 30_000, interval: 200 },
  );
});

beforeEach(() => {
  posts = [];
});

afterEach(() => {
  // Leave no dead letters behind for the next test or run.
  const purge = spawnSync(
    process.execPath,
    [cli, "dlq", "purge", "--all", "--integration", "webhook-to-slack", "--nats-url", natsUrl, "--json"],
    { env: baseEnv, encoding: "utf8" },
  );
  expect(purge.status, purge.stderr).toBe(0);
});

afterAll(async () => {
  if (dev && dev.exitCode === null) {
    const exited = new Promise((resolve) => dev.once("exit", resolve));
    dev.kill("SIGTERM");
    await exited;
  }
  await new Promise((resolve) => slack?.close(resolve));
});

describe("the webhook-to-slack example", () => {
  it("answers a correctly signed push with 202 and posts the announcement to Slack", async () => {
    const res = await deliver("push", fixture("push.json"));
    expect(res).toMatchObject({ status: 202, body: { duplicate: false } });
    await expect.poll(() => posts, { timeout: 15_000 }).toHaveLength(1);
    expect(posts[0]).toEqual({
      text: "*octo-org/hello-world*: ada pushed 2 commits to main (<https://github.com/octo-org/hello-world/compare/1a2b3c4d5e6f...9f8e7d6c5b4a|open on GitHub>)",
      username: "GitHub",
      icon_emoji: ":octocat:",
    });
  });

  it("announces an opened issue with its title escaped for Slack", async () => {
    expect((await deliver("issues", fixture("issue-opened.json"))).status).toBe(202);
    await expect.poll(() => posts, { timeout: 15_000 }).toHaveLength(1);
    expect(posts[0]?.text).toBe(
      "*octo-org/hello-world*: grace opened issue #1347: Checkout fails when the total is &lt;0 (<https://github.com/octo-org/hello-world/issues/1347|open on GitHub>)",
    );
  });

  it("rejects a badly signed or unsigned delivery with 401 and posts nothing", async () => {
    const forged = await deliver("push", fixture("push.json"), { signWith: "not-the-secret" });
    const unsigned = await deliver("push", fixture("push.json"), { signWith: null });
    expect(forged).toEqual({ status: 401, body: { error: "unauthorized" } });
    expect(unsigned).toEqual({ status: 401, body: { error: "unauthorized" } });
    const title = await barrier();
    expect(posts.map((p) => p.text)).toEqual([expect.stringContaining(title)]);
  });

  it("posts a redelivered delivery id once", async () => {
    const delivery = randomUUID();
    const first = await deliver("push", fixture("push.json"), { delivery });
    const again = await deliver("push", fixture("push.json"), { delivery });
    expect(first).toMatchObject({ status: 202, body: { duplicate: false } });
    expect(again).toEqual({ status: 202, body: { id: (first.body as { id: string }).id, duplicate: true } });
    await barrier();
    expect(posts.filter((p) => String(p.text).includes("pushed 2 commits"))).toHaveLength(1);
  });

  it("accepts events it does not announce, such as ping, and posts nothing for them", async () => {
    expect((await deliver("ping", fixture("ping.json"))).status).toBe(202);
    const title = await barrier();
    expect(posts.map((p) => p.text)).toEqual([expect.stringContaining(title)]);
  });
});
