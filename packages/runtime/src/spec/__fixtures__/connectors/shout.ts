// Loaded through tsx, outside vitest's module graph, where the workspace's unbuilt
// `@vrsky/sdk` cannot be resolved; `isConnector` is structural, so a plain object suffices.
import { z } from "zod";

const Config = z.object({ suffix: z.string().default("!") });

export default {
  kind: "converter",
  name: "shout",
  version: "1.0.0",
  description: "Upper-cases text.",
  config: Config,
  convert: (message: unknown): unknown => message,
} as const;
