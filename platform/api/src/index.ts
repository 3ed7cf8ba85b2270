export type { Principal, RouteAuth } from "./auth.js";
export { generateApiKey, hashApiKey, Scope } from "./auth.js";
export type { BundleStore, S3BundleStoreOptions } from "./bundle-store.js";
export { S3BundleStore } from "./bundle-store.js";
export type { CreateApiOptions, RateLimitOptions } from "./create-api.js";
export { createApi } from "./create-api.js";
export type { MigrateResult } from "./migrate.js";
export { migrate } from "./migrate.js";
export { DEFAULT_PLANS, PlanQuota, quotaOf } from "./plans.js";
export type { ApiErrorOptions } from "./problem.js";
export { ApiError, PROBLEM_CONTENT_TYPE, ProblemCode, ProblemDocument, ProblemIssue } from "./problem.js";
export {
  ConnectorDetail,
  ConnectorSummary,
  ConnectorVersion,
  PublishConnector,
  PublishedVersion,
  SearchConnectors,
  Visibility,
} from "./routes/connectors.js";
export type {
  DeadLetterAccess,
  DeadLetterRequest,
  IntegrationDetail,
  IntegrationSummary,
} from "./routes/integrations.js";
export {
  DeadLetterDetail,
  DeadLetterEntry,
  DeadLetterSelector,
  Deployed,
  DeployIntegration,
  INTEGRATIONS_CHANNEL,
  IntegrationStatus,
  IntegrationVersion,
  LogLine,
} from "./routes/integrations.js";
export { ApiKey, CreateApiKey, CreatedApiKey } from "./routes/keys.js";
export { SecretInfo, SecretName, SecretSet, SetSecret } from "./routes/secrets.js";
export { CreateTenant, Tenant, UpdateTenant } from "./routes/tenants.js";
export type { BreakingChange, BreakingKind } from "./schema-diff.js";
export { BREAKING_KINDS, diffConfigSchemas } from "./schema-diff.js";
export { SecretBox } from "./secret-box.js";
export type { CheckedSpec } from "./spec-check.js";
export { checkSpec, PinnedConnector, REGISTRY_PREFIX } from "./spec-check.js";
