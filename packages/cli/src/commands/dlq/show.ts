import { Args } from "@oclif/core";
import type { DeadLetterEntry } from "@vrsky/runtime";
import { VrskyCommand } from "../../base-command.js";
import { CliError, CliErrorCode } from "../../cli-error.js";
import { connectToDev } from "../../dev/dev-connection.js";
import { devTargetFlags } from "../../dev/dev-flags.js";

/** What `vrsky dlq show --json` prints. */
export interface DlqShowResult extends DeadLetterEntry {
  /** The body as text (UTF-8) or base64 when it is binary. */
  body: string;
  bodyEncoding: "utf8" | "base64";
}

/** `vrsky dlq show <seq>`: one dead letter with its body. */
export default class DlqShow extends VrskyCommand<DlqShowResult> {
  static override summary = "Show one dead letter: failure details, headers and body.";
  static override examples = ["<%= config.bin %> <%= command.id %> 42"];
  static override args = {
    seq: Args.integer({ description: "DLQ sequence (from `vrsky dlq list`).", required: true }),
  };
  static override flags = { ...devTargetFlags };

  async run(): Promise<DlqShowResult> {
    const { args, flags } = await this.parse(DlqShow);
    const dev = await connectToDev(flags);
    try {
      const letter = await dev.dlq.show(args.seq);
      if (!letter) {
        throw new CliError(CliErrorCode.NotFound, `no dead letter ${args.seq} in ${dev.integration}`, {
          suggestions: ["run `vrsky dlq list`"],
        });
      }
      const bytes = await letter.message.bytes();
      let body: string;
      let bodyEncoding: "utf8" | "base64" = "utf8";
      try {
        body = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      } catch {
        body = Buffer.from(bytes).toString("base64");
        bodyEncoding = "base64";
      }
      const { message: _m, ...entry } = letter;
      this.log(`${this.out.bold(`#${entry.seq}`)} ${entry.id}`);
      this.log(
        `  failed at ${entry.failure.stage} ${entry.failure.step} after ${entry.failure.attempts} attempt(s)`,
      );
      this.log(`  ${this.out.red(entry.failure.code)} ${entry.failure.error}`);
      this.log(`  headers ${JSON.stringify(entry.headers)}`);
      this.log(`  ${entry.contentType}, ${entry.size} bytes${bodyEncoding === "base64" ? " (base64)" : ""}`);
      this.log(body);
      return { ...entry, body, bodyEncoding };
    } finally {
      await dev.close();
    }
  }
}
