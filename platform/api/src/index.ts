export type { Principal, RouteAuth } from "./auth.js";
export { generateApiKey, hashApiKey, Scope } from "./auth.js";
export type { BundleStore, S3BundleStoreOptions } from "./bundle-store.js";
export { S3BundleStore } from "./bundle-store.js";
export type { CreateApiOptions, RateLimitOptions } from "./create-api.js";
export { createApi } from "./create-api.js";
export type { MigrateResult } from "./migrate.js";
export { migrate } from "./migrate.js";
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
export { ApiKey, CreateApiKey, CreatedApiKey } from "./routes/keys.js";
export { CreateTenant, Tenant, UpdateTenant } from "./routes/tenants.js";
export type { BreakingChange, BreakingKind } from "./schema-diff.js";
export { BREAKING_KINDS, diffConfigSchemas } from "./schema-diff.js";
