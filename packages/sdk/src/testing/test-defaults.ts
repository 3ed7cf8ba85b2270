/** Where test messages and contexts claim to run unless a test says otherwise. */
export const TEST_DEFAULTS = {
  /** Tenant of test messages and contexts. */
  tenant: "test-tenant",
  /** Integration of test messages and contexts. */
  integration: "test-integration",
  /** Source step of test messages. */
  source: "test-source",
  /** Bodies larger than this travel by reference when the kit places them, as in the runtime. */
  referenceThreshold: 256 * 1024,
  /** TTL of blobs the kit writes, as in the runtime. */
  blobTtlMs: 15 * 60 * 1000,
} as const;
