/**
 * The whole VRSky platform on one machine.
 * @packageDocumentation
 */

export { Scope } from "@vrsky/platform-api";
export type { RunningPlatform, StartPlatformOptions } from "./start-platform.js";
export { startPlatform } from "./start-platform.js";
