import { setTimeout as sleep } from "node:timers/promises";
import { Flags } from "@oclif/core";
import { VrskyCommand } from "../../base-command.js";
import { integrationNameArg } from "../../platform/integration-flags.js";
import { IntegrationsApi, type LogLine } from "../../platform/integrations-api.js";
import { PlatformClient } from "../../platform/platform-client.js";
import { profileFlag } from "../../platform/profile-flag.js";
import type { TerminalStyle } from "../../terminal-style.js";

/** What `vrsky integrations logs --json` prints (without --follow). */
export interface IntegrationsLogsResult {
  /** The integration. */
  name: string;
  /** The lines, oldest first. */
  lines: LogLine[];
  /** The platform. */
  url: string;
}

const FOLLOW_INTERVAL_MS = 1000;
// The API's largest page: while following, a burst is fetched in as few calls as possible.
const FOLLOW_PAGE = 1000;

/** `vrsky integrations logs`: an integration's worker log. */
export default class IntegrationsLogs extends VrskyCommand<IntegrationsLogsResult> {
  static override summary = "Print an integration's log, and with --follow keep printing new lines.";

  static override description =
    `Prints the newest lines the integration's workers logged (the platform keeps the last 1000), oldest first: time (UTC), level, message and fields. --follow then polls for new lines every second until you press Ctrl+C.

With --json the lines are one JSON array in the result; with --json --follow each line is printed as it arrives as one JSON object per line (NDJSON).`;

  static override examples = [
    { description: "The last 200 lines", command: "<%= config.bin %> <%= command.id %> orders" },
    {
      description: "The last 20 lines, then every new one",
      command: "<%= config.bin %> <%= command.id %> orders --limit 20 --follow",
    },
    {
      description: "Errors only, with jq",
      command: `<%= config.bin %> <%= command.id %> orders --follow --json | jq 'select(.level == "error")'`,
    },
  ];

  static override args = {
    name: integrationNameArg,
  };

  static override flags = {
    follow: Flags.boolean({ char: "f", description: "Keep printing new lines until interrupted (Ctrl+C)." }),
    limit: Flags.integer({
      char: "n",
      description: "How many of the newest lines to print first (1–1000).",
      min: 1,
      max: 1000,
      default: 200,
    }),
    profile: profileFlag,
  };

  #skipResult = false;

  async run(): Promise<IntegrationsLogsResult> {
    const { args, flags } = await this.parse(IntegrationsLogs);
    const api = new IntegrationsApi(await PlatformClient.fromProfile({ profile: flags.profile }));
    const lines = await api.logs(args.name, { limit: flags.limit });
    if (!flags.follow) {
      if (lines.length === 0) this.log(this.out.dim(`no log lines from ${args.name} yet`));
      for (const line of lines) this.log(formatLogLine(line, this.out));
      return { name: args.name, lines, url: api.url };
    }
    const print = (line: LogLine): void => {
      // `log` is silent with --json, so NDJSON lines are written to stdout directly.
      if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify(line)}\n`);
      else this.log(formatLogLine(line, this.out));
    };
    for (const line of lines) print(line);
    const seen = await this.#follow(api, args.name, lines.at(-1)?.id ?? 0, print);
    // The lines went out as NDJSON as they came; a final JSON document would break the stream.
    this.#skipResult = true;
    return { name: args.name, lines: [...lines, ...seen], url: api.url };
  }

  override logJson(json: unknown): void {
    if (this.#skipResult) return;
    super.logJson(json);
  }

  /** Polls for lines after `after` until SIGINT or SIGTERM; returns the lines printed. */
  async #follow(
    api: IntegrationsApi,
    name: string,
    after: number,
    print: (line: LogLine) => void,
  ): Promise<LogLine[]> {
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    const seen: LogLine[] = [];
    let last = after;
    try {
      while (!stop.signal.aborted) {
        await sleep(FOLLOW_INTERVAL_MS, undefined, { signal: stop.signal });
        const page = await api.logs(name, { after: last, limit: FOLLOW_PAGE, signal: stop.signal });
        for (const line of page) {
          print(line);
          seen.push(line);
          last = line.id;
        }
      }
    } catch (error) {
      if (!stop.signal.aborted) throw error;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    return seen;
  }
}

/** One log line for a terminal: `2025-01-31 12:00:00.123 INFO  message  key=value …`. */
function formatLogLine(line: LogLine, style: TerminalStyle): string {
  const at = line.at.slice(0, 23).replace("T", " ");
  const level = line.level.toUpperCase().padEnd(5);
  const painted =
    line.level === "error" || line.level === "fatal"
      ? style.red(level)
      : line.level === "warn"
        ? style.yellow(level)
        : line.level === "info"
          ? level
          : style.dim(level);
  const fields = Object.entries(line.fields).map(([key, value]) => `${key}=${formatValue(value)}`);
  return [`${style.dim(at)} ${painted} ${line.message}`, ...fields.map((f) => style.dim(f))].join("  ");
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}
