import { type Connector, ConnectorManifest, connectorManifest } from "@vrsky/sdk";
import conditionalRouter from "./conditional-router/index.js";
import csv from "./csv/index.js";
import fieldMap from "./field-map/index.js";
import fileIn from "./file-in/index.js";
import fileOut from "./file-out/index.js";
import httpOut from "./http-out/index.js";
import httpWebhook from "./http-webhook/index.js";
import jsonTransform from "./json-transform/index.js";
import postgresCdc from "./postgres-cdc/index.js";
import postgresOut from "./postgres-out/index.js";
import slack from "./slack/index.js";
import xml from "./xml/index.js";

/**
 * Every built-in connector, in catalog order. The runtime resolves spec `connector:` names
 * against these; the CLI and the registry list them.
 */
export const builtinConnectors: readonly Connector[] = Object.freeze([
  httpWebhook,
  fileIn,
  postgresCdc,
  httpOut,
  fileOut,
  postgresOut,
  slack,
  jsonTransform,
  xml,
  csv,
  fieldMap,
  conditionalRouter,
] as Connector[]);

/**
 * The built-in connectors by name, the shape `createConnectorResolver({ builtins })` takes.
 * @example
 * ```ts
 * const resolveConnector = createConnectorResolver({ builtins: builtinsByName(), baseDir });
 * ```
 */
export function builtinsByName(): Record<string, Connector> {
  return Object.fromEntries(builtinConnectors.map((c) => [c.name, c]));
}

/**
 * The manifests of the built-in connectors: kind, name, version, description, config JSON
 * Schema, secret fields, categories and examples — what `vrsky connectors list` prints and
 * the registry stores.
 */
export function catalog(): ConnectorManifest[] {
  return builtinConnectors.map((c) => ConnectorManifest.parse(connectorManifest(c)));
}
