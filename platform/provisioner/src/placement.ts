import { z } from "zod";

/** Where a tenant's account lives: the shared NATS server, or a server of its own. */
export const PlacementKind = z.enum(["shared", "dedicated"]);
/** Where a tenant's account lives. */
export type PlacementKind = z.infer<typeof PlacementKind>;

/** The default {@link PlacementOptions.dedicatedThreshold}. */
export const DEFAULT_DEDICATED_THRESHOLD = 50;

/** Options of {@link Placement}. */
export interface PlacementOptions {
  /**
   * A tenant with more integrations than this gets a dedicated server.
   * @default 50
   */
  dedicatedThreshold?: number;
  /**
   * A tenant on a dedicated server goes back to the shared one only when it has this many
   * integrations or fewer. Lower than `dedicatedThreshold`, so a tenant hovering around the
   * threshold is not moved back and forth (each move pauses its integrations briefly).
   * @default 80 % of `dedicatedThreshold`, rounded down
   */
  sharedThreshold?: number;
}

/**
 * Decides where a tenant's account lives: large tenants (by integration count) get a dedicated
 * nats-server so their traffic and JetStream I/O cannot slow the shared server down; everyone
 * else shares one. Isolation does not depend on this: accounts isolate tenants on any server.
 *
 * @example
 * ```ts
 * const placement = new Placement({ dedicatedThreshold: 20 });
 * placement.decide({ integrationCount: 21 }); // "dedicated"
 * placement.decide({ integrationCount: 18, current: "dedicated" }); // "dedicated": not down to 16 yet
 * ```
 */
export class Placement {
  /** Integration count above which a tenant is placed on a dedicated server. */
  readonly dedicatedThreshold: number;
  /** Integration count at or below which a dedicated tenant returns to the shared server. */
  readonly sharedThreshold: number;

  /**
   * @param options - the thresholds
   * @throws RangeError when a threshold is not a non-negative integer, or `sharedThreshold` is
   *   above `dedicatedThreshold`
   */
  constructor(options: PlacementOptions = {}) {
    const threshold = options.dedicatedThreshold ?? DEFAULT_DEDICATED_THRESHOLD;
    if (!Number.isInteger(threshold) || threshold < 0) {
      throw new RangeError(`dedicatedThreshold must be a non-negative integer, got ${threshold}`);
    }
    const back = options.sharedThreshold ?? Math.floor(threshold * 0.8);
    if (!Number.isInteger(back) || back < 0 || back > threshold) {
      throw new RangeError(
        `sharedThreshold must be an integer from 0 to dedicatedThreshold (${threshold}), got ${back}`,
      );
    }
    this.dedicatedThreshold = threshold;
    this.sharedThreshold = back;
  }

  /**
   * @param tenant - the tenant's integration count and, for a placed tenant, where it is now
   * @returns `"dedicated"` when the count is over `dedicatedThreshold` — or, for a tenant already
   *   on a dedicated server, over `sharedThreshold` —, else `"shared"`
   */
  decide(tenant: { integrationCount: number; current?: PlacementKind }): PlacementKind {
    const threshold = tenant.current === "dedicated" ? this.sharedThreshold : this.dedicatedThreshold;
    return tenant.integrationCount > threshold ? "dedicated" : "shared";
  }
}
