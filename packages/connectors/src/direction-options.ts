import type { z } from "@vrsky/sdk";

/**
 * For a two-way converter's flat config: reports every option that only the other direction
 * reads (such options carry no zod default, so a set one was set by the user).
 * @param config - the parsed config, with its `direction`
 * @param only - for each direction, the options only it reads
 * @param ctx - the refinement context
 */
export function rejectOtherDirectionOptions<D extends string, C extends { direction: D }>(
  config: C,
  only: Readonly<Record<D, readonly (keyof C)[]>>,
  ctx: z.RefinementCtx,
): void {
  for (const direction of Object.keys(only) as D[]) {
    if (direction === config.direction) continue;
    for (const key of only[direction]) {
      if (config[key] !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [key as string],
          message: `applies only to direction "${direction}": remove it or change direction`,
        });
      }
    }
  }
}
