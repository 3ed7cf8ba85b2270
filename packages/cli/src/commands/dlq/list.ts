import { Flags } from "@oclif/core";
import type { DeadLetterEntry } from "@vrsky/runtime";
import { VrskyCommand } from "../../base-command.js";
import { devTargetFlags } from "../../dev/dev-flags.js";
import { deployedFlags, openDlqTarget } from "../../dlq-target.js";

/** What `vrsky dlq list --json` prints. */
export interface DlqListResult {
  integration: string;
  total: number;
  entries: DeadLetterEntry[];
}

/** `vrsky dlq list`: dead letters of the local runtime or a deployed integration, oldest first. */
export default class DlqList extends VrskyCommand<DlqListResult> {
  static override summary = "List dead-lettered messages: what failed, where, and why.";
  static override examples = [
    "<%= config.bin %> <%= command.id %>",
    "<%= config.bin %> <%= command.id %> --limit 20 --json",
    "<%= config.bin %> <%= command.id %> --deployed orders",
  ];
  static override flags = {
    ...devTargetFlags,
    ...deployedFlags,
    limit: Flags.integer({ description: "Most entries to show.", default: 100, min: 1 }),
    from: Flags.integer({ description: "Start at this DLQ sequence." }),
  };

  async run(): Promise<DlqListResult> {
    const { flags } = await this.parse(DlqList);
    const dev = await openDlqTarget(flags);
    try {
      const { total, entries } = await dev.list({
        limit: flags.limit,
        ...(flags.from ? { fromSeq: flags.from } : {}),
      });
      if (entries.length === 0) this.log(`No dead letters in ${dev.integration}.`);
      for (const e of entries) {
        const where = e.failure.stage === "sink" ? `sink ${e.failure.step}` : `step ${e.failure.step}`;
        this.log(
          `${this.out.bold(String(e.seq).padStart(5))}  ${e.id}  ${this.out.dim(where)}  ${this.out.red(e.failure.code)}  ${e.failure.error}`,
        );
      }
      if (total > entries.length) this.log(this.out.dim(`… ${total - entries.length} more (use --from)`));
      return { integration: dev.integration, total, entries };
    } finally {
      await dev.close();
    }
  }
}
