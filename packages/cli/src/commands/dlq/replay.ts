import { VrskyCommand } from "../../base-command.js";
import { devTargetFlags } from "../../dev/dev-flags.js";
import { selectorFlags, toSelector } from "../../dlq-selector.js";
import { deployedFlags, openDlqTarget } from "../../dlq-target.js";

/** `vrsky dlq replay`: sends dead letters back to the stage that failed. */
export default class DlqReplay extends VrskyCommand<{ replayed: number }> {
  static override summary = "Replay dead letters: back to the step or sink that failed, attempts reset.";
  static override examples = [
    "<%= config.bin %> <%= command.id %> --seq 42",
    "<%= config.bin %> <%= command.id %> --step slack",
    "<%= config.bin %> <%= command.id %> --all --json",
  ];
  static override flags = { ...devTargetFlags, ...deployedFlags, ...selectorFlags };

  async run(): Promise<{ replayed: number }> {
    const { flags } = await this.parse(DlqReplay);
    const selector = toSelector(flags);
    const dev = await openDlqTarget(flags);
    try {
      const result = await this.progress("Replaying", () => dev.replay(selector));
      this.log(`Replayed ${result.replayed} message(s) in ${dev.integration}.`);
      return result;
    } finally {
      await dev.close();
    }
  }
}
