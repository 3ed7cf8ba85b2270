/**
 * The VRSky integration engine on NATS JetStream: integration specs, the engine, claim check.
 * @packageDocumentation
 */
export * from "./blob/index.js";
export * from "./engine/index.js";
export * from "./spec/index.js";
