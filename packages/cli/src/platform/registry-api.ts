import { ConnectorManifest } from "@vrsky/sdk";
import { z } from "zod";

// The answers of the registry routes of the control-plane API, as the CLI reads them. Objects
// are not strict: the API may add fields without breaking older CLIs.

/** Who can see a connector: every tenant, or its owner only. */
export const Visibility = z.enum(["public", "private"]);
/** Who can see a connector. */
export type Visibility = z.infer<typeof Visibility>;

/** The answer of `POST /v1/connectors`. */
export const PublishedVersion = z.object({
  name: z.string(),
  version: z.string(),
  visibility: Visibility,
  sha256: z.string(),
  size: z.number().int(),
});
/** The answer of `POST /v1/connectors`. */
export type PublishedVersion = z.infer<typeof PublishedVersion>;

/** One published version of a connector. */
export const ConnectorVersion = z.object({
  version: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  yanked: z.boolean(),
  publishedAt: z.string(),
});
/** One published version of a connector. */
export type ConnectorVersion = z.infer<typeof ConnectorVersion>;

/** A connector in search results, with its latest non-yanked version. */
export const ConnectorSummary = z.object({
  name: z.string(),
  kind: ConnectorManifest.shape.kind,
  description: z.string(),
  categories: z.array(z.string()),
  visibility: Visibility,
  latest: z.string(),
});
/** A connector in search results. */
export type ConnectorSummary = z.infer<typeof ConnectorSummary>;

/** The answer of `GET /v1/connectors`. */
export const SearchResult = z.object({ items: z.array(ConnectorSummary) });
/** The answer of `GET /v1/connectors`. */
export type SearchResult = z.infer<typeof SearchResult>;

/** The answer of `GET /v1/connectors/:name`: config JSON Schema, secret paths, every version. */
export const ConnectorDetail = ConnectorSummary.extend({
  latest: z.string().nullable(),
  config: z.record(z.string(), z.unknown()),
  secrets: z.array(z.string()),
  versions: z.array(ConnectorVersion),
});
/** The answer of `GET /v1/connectors/:name`. */
export type ConnectorDetail = z.infer<typeof ConnectorDetail>;
