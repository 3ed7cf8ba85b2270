import { z } from "zod";

/** What a plan allows a tenant. */
export const PlanQuota = z.object({
  /** Integrations the tenant may have (running or stopped). */
  maxIntegrations: z.number().int().nonnegative(),
  /** Messages its sources may accept per UTC day, across all integrations. */
  maxMessagesPerDay: z.number().int().nonnegative(),
});
/** What a plan allows a tenant. */
export type PlanQuota = z.infer<typeof PlanQuota>;

/** The plans a tenant can be on, by name; `createApi({ plans })` replaces them. */
export const DEFAULT_PLANS: Readonly<Record<string, PlanQuota>> = {
  free: { maxIntegrations: 5, maxMessagesPerDay: 100_000 },
  team: { maxIntegrations: 50, maxMessagesPerDay: 10_000_000 },
  enterprise: { maxIntegrations: 1_000, maxMessagesPerDay: 1_000_000_000 },
};

/**
 * The quota of a plan; an unknown plan name gets the smallest plan's quota, so a typo never
 * grants more.
 * @param plans - the configured plans
 * @param plan - the tenant's plan name
 */
export function quotaOf(plans: Readonly<Record<string, PlanQuota>>, plan: string): PlanQuota {
  const known = plans[plan];
  if (known) return known;
  const all = Object.values(plans);
  return {
    maxIntegrations: Math.min(...all.map((p) => p.maxIntegrations)),
    maxMessagesPerDay: Math.min(...all.map((p) => p.maxMessagesPerDay)),
  };
}
