import { VrskyCommand } from "../../base-command.js";
import { devTargetFlags } from "../../dev/dev-flags.js";
import { selectorFlags, toSelector } from "../../dlq-selector.js";
import { deployedFlags, openDlqTarget } from "../../dlq-target.js";

/** `vrsky dlq purge`: deletes dead letters for good. */
export default class DlqPurge extends VrskyCommand<{ purged: number }> {
  static override summary = "Delete dead letters for good.";
  static override examples = [
    "<%= config.bin %> <%= command.id %> --seq 42",
    "<%= config.bin %> <%= command.id %> --error-contains unsupported",
    "<%= config.bin %> <%= command.id %> --all",
  ];
  static override flags = { ...devTargetFlags, ...deployedFlags, ...selectorFlags };

  async run(): Promise<{ purged: number }> {
    const { flags } = await this.parse(DlqPurge);
    const selector = toSelector(flags);
    const dev = await openDlqTarget(flags);
    try {
      const result = await dev.purge(selector);
      this.log(`Purged ${result.purged} message(s) from ${dev.integration}.`);
      return result;
    } finally {
      await dev.close();
    }
  }
}
