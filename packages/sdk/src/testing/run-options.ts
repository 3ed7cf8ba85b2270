import type { TestContextOptions } from "./test-context.js";

/** Options every runner takes: the context options but the config, which runners take apart. */
export interface RunOptions extends Omit<TestContextOptions, "config"> {
  /** Bodies larger than this travel by reference, as in the runtime. @default 262144 */
  referenceThreshold?: number;
}
