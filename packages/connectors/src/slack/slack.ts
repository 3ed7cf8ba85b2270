import { defineProducer, JSON_CONTENT_TYPE } from "@vrsky/sdk";
import { sendHttp } from "../http-shared/http-delivery.js";
import { JsonTemplate } from "../http-shared/json-template.js";
import { Template, type TemplateScope } from "../http-shared/template.js";
import { SlackConfig } from "./config.js";

/** What `slack` prepares once per step. */
export interface SlackResources {
  /** The webhook URL, parsed. */
  readonly url: URL;
  /** The text template. */
  readonly text: Template;
  /** The blocks template, if any. */
  readonly blocks: JsonTemplate | undefined;
  /** The webhook URL and its path (the credential part), scrubbed from error messages. */
  readonly secrets: readonly string[];
}

// Slack's documented webhook errors, with what the user can do about each.
const SLACK_HINTS: Readonly<Record<string, string>> = {
  invalid_payload: "the JSON is not a valid Slack message: check the `text` and `blocks` templates",
  no_text: "the message has no text: `text` rendered empty",
  invalid_blocks: "`blocks` is not valid Block Kit: check it in Slack's Block Kit Builder",
  invalid_blocks_format: "`blocks` is not valid Block Kit: check it in Slack's Block Kit Builder",
  no_service: "the webhook was removed or the URL is wrong: create a new incoming webhook",
  no_service_id: "the webhook URL is incomplete: copy it again from the Slack app settings",
  invalid_token: "the webhook URL is no longer valid: create a new incoming webhook",
  no_team: "the Slack workspace is gone or the URL is wrong",
  team_disabled: "the Slack workspace is disabled",
  action_prohibited: "a workspace admin restricted posting to this channel",
  posting_to_general_channel_denied: "only admins may post to this channel: choose another channel",
  channel_not_found: "the channel was deleted or renamed: re-create the webhook for the new channel",
  channel_is_archived: "the channel is archived: unarchive it or re-create the webhook",
};

/**
 * `slack`: posts each message to a Slack channel through an incoming webhook.
 *
 * `text` (and optional Block Kit `blocks`) are templates filled from the message's JSON body.
 * Slack webhooks take no idempotency key, so a retry after a lost response can post twice
 * (at-least-once); a post Slack rejects is never retried.
 *
 * @throws RetryableError on 429 (honouring `Retry-After`), 5xx, network errors and timeouts
 * @throws FatalError with Slack's error code (`invalid_payload`, `no_service`, …) on other 4xx
 * @example
 * ```yaml
 * sinks:
 *   notify:
 *     connector: slack
 *     config:
 *       webhookUrl: { $env: SLACK_WEBHOOK_URL }
 *       text: "New order *{{ order.id }}*: {{ order.total }} EUR"
 * ```
 */
export const slack = defineProducer<SlackConfig, SlackResources>({
  name: "slack",
  version: "1.0.0",
  description: "Posts each message to a Slack channel through an incoming webhook, with Block Kit templates.",
  categories: ["chat", "notification"],
  icon: "slack",
  config: SlackConfig,
  examples: [
    {
      title: "Announce new orders",
      config: {
        webhookUrl: "https://hooks.slack.com/services/T000/B000/XXXX",
        text: "New order *{{ order.id }}* from {{ order.customer.name }}: {{ order.total }} EUR",
        username: "Orders",
        iconEmoji: ":package:",
      },
    },
    {
      title: "Deployment notice with Block Kit",
      config: {
        webhookUrl: "https://hooks.slack.com/services/T000/B000/XXXX",
        text: "{{ service }} {{ version }} deployed",
        blocks: [
          { type: "header", text: { type: "plain_text", text: "{{ service }} {{ version }} is live" } },
          {
            type: "section",
            text: { type: "mrkdwn", text: "Deployed by *{{ actor }}* to `{{ environment }}`" },
          },
        ],
      },
    },
  ],
  init({ config }) {
    const url = new URL(config.webhookUrl);
    return {
      url,
      text: Template.compile(config.text, "text"),
      blocks: config.blocks ? JsonTemplate.compile(config.blocks, "blocks") : undefined,
      secrets: [config.webhookUrl, url.pathname],
    };
  },
  async deliver(message, ctx) {
    const { config, resources } = ctx;
    const needsBody = resources.text.needsBody || (resources.blocks?.needsBody ?? false);
    const scope: TemplateScope = {
      id: message.id,
      headers: message.headers,
      body: needsBody ? await message.json({ signal: ctx.signal }) : undefined,
    };
    const payload = {
      text: resources.text.render(scope, config.escapeText ? escapeMrkdwn : undefined),
      ...(resources.blocks ? { blocks: resources.blocks.render(scope) } : {}),
      ...(config.username ? { username: config.username } : {}),
      ...(config.iconEmoji ? { icon_emoji: config.iconEmoji } : {}),
    };
    await sendHttp({
      url: resources.url,
      method: "POST",
      headers: { "content-type": `${JSON_CONTENT_TYPE}; charset=utf-8` },
      body: JSON.stringify(payload),
      timeoutMs: config.timeoutMs,
      signal: ctx.signal,
      target: "POST to the Slack incoming webhook",
      secrets: resources.secrets,
      describeRejection: (status, excerpt) => {
        const code = excerpt || "(no error code)";
        const hint = Object.hasOwn(SLACK_HINTS, code)
          ? SLACK_HINTS[code]
          : "see https://api.slack.com/messaging/webhooks#handling_errors";
        return `message ${message.id}: Slack rejected the post with HTTP ${status} ${code}: ${hint}`;
      },
    });
  },
});

/**
 * Escapes the three characters Slack's mrkdwn gives meaning to, as Slack asks: only in values
 * substituted from the message, so the template's own links and mentions keep working.
 */
function escapeMrkdwn(value: string): string {
  return value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
