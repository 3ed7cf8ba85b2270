import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { Args, Flags } from "@oclif/core";
import { decodeEnvelope } from "@vrsky/runtime";
import { VrskyCommand } from "../base-command.js";
import { CliError, CliErrorCode } from "../cli-error.js";
import { connectToDev } from "../dev/dev-connection.js";
import { devTargetFlags } from "../dev/dev-flags.js";
import { parseSendInput, type SendResult, sendMessages } from "../dev/send-messages.js";

/** What `vrsky send --json` prints. */
export interface SendCommandResult {
  integration: string;
  sent: SendResult[];
  /** With --record: the fixture files written. */
  recorded?: string[];
}

/** `vrsky send`: injects messages into a running dev integration. */
export default class Send extends VrskyCommand<SendCommandResult> {
  static override summary =
    "Send messages (JSON, NDJSON or a raw file) into the running `vrsky dev` integration.";

  static override description =
    `Publishes into the integration's ingress, exactly as its source would: bodies over the claim-check threshold go by reference, and --key de-duplicates. A .json file is one message, .ndjson/.jsonl one per line, anything else one raw message (content type from the extension); "-" reads stdin.

With --record DIR, sends nothing: it saves every message that arrives at the integration's source as fixture files (one JSON envelope file per message) until interrupted or --count messages were saved.`;

  static override examples = [
    "<%= config.bin %> <%= command.id %> order.json",
    "<%= config.bin %> <%= command.id %> orders.ndjson --json",
    "cat event.xml | <%= config.bin %> <%= command.id %> - --content-type application/xml",
    "<%= config.bin %> <%= command.id %> --record __fixtures__/recorded --count 10",
  ];

  static override args = { file: Args.string({ description: "File to send, or - for stdin." }) };

  static override flags = {
    ...devTargetFlags,
    format: Flags.string({ description: "How to read the file.", options: ["json", "ndjson", "raw"] }),
    "content-type": Flags.string({ description: "Content type for raw input." }),
    key: Flags.string({ description: "Idempotency key (one message only)." }),
    header: Flags.string({ description: "A header as name=value; repeatable.", multiple: true }),
    record: Flags.string({ description: "Record arriving messages into this directory instead of sending." }),
    count: Flags.integer({ description: "With --record: stop after this many messages.", min: 1 }),
  };

  async run(): Promise<SendCommandResult> {
    const { args, flags } = await this.parse(Send);
    const dev = await connectToDev(flags);
    try {
      if (flags.record)
        return {
          integration: dev.integration,
          sent: [],
          recorded: await this.record(dev, flags.record, flags.count),
        };
      if (!args.file) throw this.missing("a FILE argument (or - for stdin)");
      const bytes = args.file === "-" ? readFileSync(0) : readFileSync(args.file);
      const inits = parseSendInput(bytes, args.file === "-" ? "stdin" : args.file, flags.format as never).map(
        (init) =>
          flags["content-type"] && "body" in init ? { ...init, contentType: flags["content-type"] } : init,
      );
      if (flags.key && inits.length !== 1) {
        throw new CliError(
          CliErrorCode.InvalidInput,
          `--key applies to one message, but ${args.file} holds ${inits.length}`,
        );
      }
      const headers = Object.fromEntries(
        (flags.header ?? []).map((h) => {
          const eq = h.indexOf("=");
          if (eq <= 0) throw new CliError(CliErrorCode.InvalidInput, `--header "${h}" must be name=value`);
          return [h.slice(0, eq).toLowerCase(), h.slice(eq + 1)];
        }),
      );
      const sent = await this.progress(`Sending ${inits.length} message(s) to ${dev.integration}`, () =>
        sendMessages(
          inits.map((init) => (flags.key ? { ...init, key: flags.key } : init)),
          { nc: dev.nc, integration: dev.integration, claimCheck: dev.claimCheck, headers },
        ),
      );
      for (const r of sent) {
        this.log(
          `${r.duplicate ? this.out.yellow("duplicate") : this.out.green("accepted ")} ${r.id} ${this.out.dim(`${r.size} B${r.byReference ? ", by reference" : ""}`)}`,
        );
      }
      return { integration: dev.integration, sent };
    } finally {
      await dev.close();
    }
  }

  private async record(
    dev: Awaited<ReturnType<typeof connectToDev>>,
    dir: string,
    count?: number,
  ): Promise<string[]> {
    const { mkdirSync, writeFileSync } = await import("node:fs");
    mkdirSync(dir, { recursive: true });
    const written: string[] = [];
    // A plain subscription sees every message published to the ingress subject without
    // consuming it from the work queue.
    const sub = dev.nc.subscribe(`int.${dev.integration}.in`);
    const stop = () => sub.unsubscribe();
    process.once("SIGINT", stop);
    this.logToStderr(`recording messages arriving at ${dev.integration} into ${dir} (Ctrl+C to stop)`);
    for await (const msg of sub) {
      const { envelope } = decodeEnvelope(msg.data);
      const file = `${dir}/${basename(envelope.id).replace(/[^\w.-]/g, "_")}.json`;
      const body =
        envelope.body.type === "inline"
          ? { encoding: "utf8", data: new TextDecoder().decode(envelope.body.bytes) }
          : { encoding: "ref", data: envelope.body.ref };
      const { body: _b, ...meta } = envelope;
      writeFileSync(file, `${JSON.stringify({ ...meta, body }, null, 2)}\n`);
      written.push(file);
      if (count && written.length >= count) break;
    }
    stop();
    process.off("SIGINT", stop);
    return written;
  }
}
