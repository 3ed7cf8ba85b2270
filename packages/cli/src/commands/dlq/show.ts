import { Args } from "@oclif/core";
import type { DeadLetterEntry } from "@vrsky/runtime";
import { VrskyCommand } from "../../base-command.js";
import { CliError, CliErrorCode } from "../../cli-error.js";
import { connectToDev, type DevTargetFlags } from "../../dev/dev-connection.js";
import { devTargetFlags } from "../../dev/dev-flags.js";
import { deployedFlags } from "../../dlq-target.js";
import { PlatformClient } from "../../platform/platform-client.js";

/** What `vrsky dlq show --json` prints. */
export interface DlqShowResult extends DeadLetterEntry {
  /** The body as text (UTF-8) or base64 when it is binary; `null` when too large to show (deployed). */
  body: string | null;
  bodyEncoding: "utf8" | "base64" | null;
}

/** `vrsky dlq show <seq>`: one dead letter with its body. */
export default class DlqShow extends VrskyCommand<DlqShowResult> {
  static override summary = "Show one dead letter: failure details, headers and body.";
  static override examples = [
    "<%= config.bin %> <%= command.id %> 42",
    "<%= config.bin %> <%= command.id %> 42 --deployed orders",
  ];
  static override args = {
    seq: Args.integer({ description: "DLQ sequence (from `vrsky dlq list`).", required: true }),
  };
  static override flags = { ...devTargetFlags, ...deployedFlags };

  async run(): Promise<DlqShowResult> {
    const { args, flags } = await this.parse(DlqShow);
    const letter =
      flags.deployed === undefined
        ? await local(flags, args.seq)
        : await deployed(flags.deployed, flags.profile, args.seq);
    this.log(`${this.out.bold(`#${letter.seq}`)} ${letter.id}`);
    this.log(
      `  failed at ${letter.failure.stage} ${letter.failure.step} after ${letter.failure.attempts} attempt(s)`,
    );
    this.log(`  ${this.out.red(letter.failure.code)} ${letter.failure.error}`);
    this.log(`  headers ${JSON.stringify(letter.headers)}`);
    this.log(
      `  ${letter.contentType}, ${letter.size} bytes${letter.bodyEncoding === "base64" ? " (base64)" : ""}`,
    );
    this.log(letter.body ?? this.out.dim("(body over 1 MiB: not shown)"));
    return letter;
  }
}

function notFound(seq: number, integration: string): CliError {
  return new CliError(CliErrorCode.NotFound, `no dead letter ${seq} in ${integration}`, {
    suggestions: ["run `vrsky dlq list`"],
  });
}

async function local(flags: DevTargetFlags, seq: number): Promise<DlqShowResult> {
  const dev = await connectToDev(flags);
  try {
    const letter = await dev.dlq.show(seq);
    if (!letter) throw notFound(seq, dev.integration);
    const { message, ...entry } = letter;
    const bytes = await message.bytes();
    try {
      return {
        ...entry,
        body: new TextDecoder("utf-8", { fatal: true }).decode(bytes),
        bodyEncoding: "utf8",
      };
    } catch {
      return { ...entry, body: Buffer.from(bytes).toString("base64"), bodyEncoding: "base64" };
    }
  } finally {
    await dev.close();
  }
}

async function deployed(name: string, profile: string | undefined, seq: number): Promise<DlqShowResult> {
  const client = await PlatformClient.fromProfile({ profile });
  try {
    return await client.request<DlqShowResult>(
      "GET",
      `/v1/integrations/${encodeURIComponent(name)}/dlq/${seq}`,
    );
  } catch (error) {
    if (error instanceof CliError && error.code === CliErrorCode.NotFound) throw notFound(seq, name);
    throw error;
  }
}
