import { readFileSync } from "node:fs";
import { ConfigError, FatalError, RetryableError } from "@vrsky/sdk";
import { ConformanceCheck, runProducer } from "@vrsky/sdk/testing";
import { describeConformance } from "@vrsky/sdk/testing/vitest";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { startRecordingServer } from "../http-shared/__fixtures__/recording-server.js";
import slack from "./index.js";

const deployment = JSON.parse(
  readFileSync(new URL("./__fixtures__/deployment.json", import.meta.url), "utf8"),
) as unknown;

// Stands in for hooks.slack.com: answers 200 "ok" like Slack unless a test says otherwise.
const fakeSlack = await startRecordingServer();
afterAll(() => fakeSlack.close());
beforeEach(() => {
  fakeSlack.requests.length = 0;
  fakeSlack.respond(() => ({ status: 200, body: "ok" }));
});
const WEBHOOK_PATH = "/services/T0001/B0002/s3cr3tT0k3nXYZ";
const webhookUrl = (): string => `${fakeSlack.url}${WEBHOOK_PATH}`;

async function post(config: Record<string, unknown>, json: unknown = deployment) {
  const { delivered, failures } = await runProducer(slack, { webhookUrl: webhookUrl(), ...config }, [
    { json },
  ]);
  return { delivered, error: failures[0]?.error };
}

describe("slack", () => {
  it("posts the rendered text, blocks, username and icon as exactly the JSON Slack expects", async () => {
    const { error } = await post({
      text: "{{ service }} {{ version }} deployed: {{ summary }} <https://ci.example.com|CI>",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "{{ service }} {{ version }} is live" } },
        {
          type: "section",
          text: { type: "mrkdwn", text: "Deployed by *{{ actor }}* to `{{ environment }}`" },
          fields: [{ type: "mrkdwn", text: "{{ summary }}" }],
        },
        { type: "context", elements: [{ type: "plain_text", text: "{{ changes }} changes" }] },
      ],
      username: "Deploy bot",
      iconEmoji: ":rocket:",
    });
    expect(error).toBeUndefined();
    const [request] = fakeSlack.requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe(WEBHOOK_PATH);
    expect(request?.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(request?.body.toString() ?? "")).toEqual({
      text:
        "checkout-api 2.14.0 deployed: Faster &lt;checkout&gt; &amp; fewer retries &lt;!channel&gt; " +
        "<https://ci.example.com|CI>",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "checkout-api 2.14.0 is live" } },
        {
          type: "section",
          text: { type: "mrkdwn", text: "Deployed by *ada* to `production`" },
          fields: [{ type: "mrkdwn", text: "Faster <checkout> & fewer retries <!channel>" }],
        },
        { type: "context", elements: [{ type: "plain_text", text: "12 changes" }] },
      ],
      username: "Deploy bot",
      icon_emoji: ":rocket:",
    });
  });

  it("leaves substituted values unescaped when escapeText is false", async () => {
    await post({ text: "{{ summary }}", escapeText: false });
    expect(JSON.parse(fakeSlack.requests[0]?.body.toString() ?? "")).toEqual({
      text: "Faster <checkout> & fewer retries <!channel>",
    });
  });

  it("throws a RetryableError with retryAfterMs when Slack rate-limits with 429, and on 5xx", async () => {
    fakeSlack.respond(() => ({ status: 429, headers: { "retry-after": "30" }, body: "rate_limited" }));
    const limited = await post({ text: "{{ service }}" });
    expect(limited.error).toBeInstanceOf(RetryableError);
    expect(limited.error).toMatchObject({ retryAfterMs: 30_000 });

    fakeSlack.respond(() => ({ status: 500, body: "rollup_error" }));
    const failing = await post({ text: "{{ service }}" });
    expect(failing.error).toBeInstanceOf(RetryableError);
    expect(String(failing.error)).not.toContain("s3cr3tT0k3nXYZ");
  });

  it("throws a FatalError with Slack's error code and a hint on 400, 403 and 404, never quoting the webhook URL", async () => {
    const cases = [
      [400, "invalid_payload", "check the `text` and `blocks` templates"],
      [403, "action_prohibited", "a workspace admin restricted posting"],
      [404, "no_service", "create a new incoming webhook"],
    ] as const;
    for (const [status, code, hint] of cases) {
      fakeSlack.respond(() => ({ status, body: code }));
      const { error } = await post({ text: "{{ service }}" });
      expect(error).toBeInstanceOf(FatalError);
      expect(String(error)).toContain(`Slack rejected the post with HTTP ${status} ${code}`);
      expect(String(error)).toContain(hint);
      expect(String(error)).not.toContain("s3cr3tT0k3nXYZ");
    }
  });

  it("throws a RetryableError without the webhook URL when Slack cannot be reached", async () => {
    const gone = await startRecordingServer();
    await gone.close();
    const { failures } = await runProducer(slack, { webhookUrl: `${gone.url}${WEBHOOK_PATH}`, text: "hi" }, [
      { json: {} },
    ]);
    expect(failures[0]?.error).toBeInstanceOf(RetryableError);
    expect(String(failures[0]?.error)).not.toContain("s3cr3tT0k3nXYZ");
  });

  it("throws a FatalError naming the placeholder when the message lacks a field, posting nothing", async () => {
    const { error } = await post({ text: "Order {{ order.id }}" });
    expect(error).toBeInstanceOf(FatalError);
    expect(String(error)).toContain("text: {{ order.id }} has no value");
    expect(fakeSlack.requests).toHaveLength(0);
  });

  it("rejects a plain-http webhook URL to a remote host and a text template that does not parse", async () => {
    await expect(
      runProducer(slack, { webhookUrl: "http://hooks.slack.com/services/T/B/X", text: "hi" }, []),
    ).rejects.toThrow(/https URL/);
    await expect(
      runProducer(slack, { webhookUrl: webhookUrl(), text: "{{ $env.HOME }}" }, []),
    ).rejects.toThrow(ConfigError);
  });
});

describeConformance(slack, {
  get config() {
    return { webhookUrl: webhookUrl(), text: "{{ service }} {{ version }} deployed by {{ actor }}" };
  },
  invalidConfigs: [
    { config: { webhookUrl: "not a url", text: "hi" }, reason: "webhookUrl is not a URL" },
    { config: { webhookUrl: "https://hooks.slack.com/x", text: "" }, reason: "text is empty" },
    {
      config: { webhookUrl: "https://hooks.slack.com/x", text: "hi", iconEmoji: "rocket" },
      reason: "bad emoji code",
    },
    {
      config: { webhookUrl: "https://hooks.slack.com/x", text: "hi", blocks: [{}] },
      reason: "a block without type",
    },
  ],
  fixtures: [{ json: deployment }, { json: { service: "billing", version: "1.0.1", actor: "grace" } }],
  badInput: { json: { service: "billing" } },
  notApplicable: {
    [ConformanceCheck.RetrySafe]:
      "Slack incoming webhooks take no idempotency key: a retry after a lost response may post twice",
  },
});
