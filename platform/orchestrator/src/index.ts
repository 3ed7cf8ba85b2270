/**
 * The VRSky orchestrator: runs tenants' integrations in per-tenant worker processes.
 * @packageDocumentation
 */
export { BundleCache } from "./bundle-cache.js";
export type { DeadLetterRequest, OrchestratorOptions, TenantConnection, WorkerInfo } from "./orchestrator.js";
export { NotRunningError, Orchestrator } from "./orchestrator.js";
export { CachedBundle, FromWorker, ToWorker } from "./protocol.js";
