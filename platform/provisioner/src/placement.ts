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
 * ```
 */
export class Placement {
  /** Integration count above which a tenant is placed on a dedicated server. */
  readonly dedicatedThreshold: number;

  /**
   * @param options - the threshold
   * @throws RangeError when the threshold is not a non-negative integer
   */
  constructor(options: PlacementOptions = {}) {
    const threshold = options.dedicatedThreshold ?? DEFAULT_DEDICATED_THRESHOLD;
    if (!Number.isInteger(threshold) || threshold < 0) {
      throw new RangeError(`dedicatedThreshold must be a non-negative integer, got ${threshold}`);
    }
    this.dedicatedThreshold = threshold;
  }

  /**
   * @param tenant - the tenant's integration count
   * @returns `"dedicated"` when the count is over the threshold, else `"shared"`
   */
  decide(tenant: { integrationCount: number }): PlacementKind {
    return tenant.integrationCount > this.dedicatedThreshold ? "dedicated" : "shared";
  }
}
