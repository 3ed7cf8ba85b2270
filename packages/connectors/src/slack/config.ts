import { secret, z } from "@vrsky/sdk";
import { JsonTemplate } from "../http-shared/json-template.js";
import { TemplateSyntaxError, templateText } from "../http-shared/template.js";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** A Block Kit block: a `type` and its fields, whose strings may hold `{{ … }}` placeholders. */
export const SlackBlock = z
  .object({ type: z.string().min(1).describe("Block type, e.g. `section`, `header`, `context`.") })
  .catchall(z.json());
/** A Block Kit block. */
export type SlackBlock = z.infer<typeof SlackBlock>;

/**
 * Config of the `slack` producer: posts each message to a Slack incoming webhook.
 * @example
 * ```ts
 * SlackConfig.parse({
 *   webhookUrl: process.env.SLACK_WEBHOOK_URL,
 *   text: "New order {{ order.id }} from {{ order.customer.name }}",
 * });
 * ```
 */
export const SlackConfig = z.strictObject({
  webhookUrl: secret(
    z.url({ protocol: /^https?$/ }).refine((url) => {
      // Runs even when the format check failed, so it must not throw on a malformed URL.
      if (!URL.canParse(url)) return true;
      const { protocol, hostname } = new URL(url);
      return protocol === "https:" || LOOPBACK_HOSTS.has(hostname);
    }, "expected an https URL: the webhook URL is a credential and must not travel in clear text"),
  ).describe(
    "The incoming-webhook URL Slack gave you (`https://hooks.slack.com/services/…`); it is a credential.",
  ),
  text: templateText("text")
    .min(1)
    .describe(
      "Message text (mrkdwn) with `{{ field.path }}`, `{{ $id }}` and `{{ $header.name }}` placeholders; also the notification fallback when `blocks` are set.",
    )
    .meta({ examples: ["New order *{{ order.id }}* from {{ order.customer.name }}: {{ order.total }} EUR"] }),
  blocks: z
    .array(SlackBlock)
    .min(1)
    .max(50)
    .superRefine((blocks, ctx) => {
      try {
        JsonTemplate.compile(blocks, "blocks");
      } catch (error) {
        if (!(error instanceof TemplateSyntaxError)) throw error;
        ctx.addIssue({ code: "custom", message: error.message, input: blocks });
      }
    })
    .optional()
    .describe(
      "Block Kit blocks; their strings may hold placeholders (values are JSON-escaped; a string that is only a placeholder keeps the value's type).",
    )
    .meta({
      examples: [
        [
          { type: "header", text: { type: "plain_text", text: "Order {{ order.id }}" } },
          { type: "section", text: { type: "mrkdwn", text: "*Total:* {{ order.total }} EUR" } },
        ],
      ],
    }),
  username: z
    .string()
    .min(1)
    .max(80)
    .optional()
    .describe("Overrides the bot name, if the Slack app allows it.")
    .meta({ examples: ["VRSky"] }),
  iconEmoji: z
    .string()
    .regex(/^:[a-z0-9_+'-]+:$/, "expected an emoji code such as `:rocket:`")
    .optional()
    .describe("Overrides the bot icon with an emoji, if the Slack app allows it.")
    .meta({ examples: [":package:"] }),
  escapeText: z
    .boolean()
    .default(true)
    .describe(
      "Escape `&`, `<` and `>` in values substituted into `text`, so message data cannot inject mentions (`<!channel>`) or links.",
    ),
  timeoutMs: z
    .number()
    .int()
    .min(1)
    .max(60_000)
    .default(10_000)
    .describe("Abort the request after this many milliseconds (the attempt is then retried).")
    .meta({ examples: [5000] }),
});
/** Parsed config of `slack`. */
export type SlackConfig = z.infer<typeof SlackConfig>;
