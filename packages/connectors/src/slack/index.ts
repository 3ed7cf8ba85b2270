/**
 * The `slack` producer: messages to a Slack channel through an incoming webhook.
 * @packageDocumentation
 */
import { slack } from "./slack.js";

export { SlackBlock, SlackConfig } from "./config.js";
export type { SlackResources } from "./slack.js";
export { slack };
export default slack;
