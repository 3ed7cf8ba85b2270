/**
 * The built-in VRSky connectors, written only against the public SDK.
 * @packageDocumentation
 */
export { builtinConnectors, builtinsByName, catalog } from "./catalog.js";
export { ConditionalRouterConfig, conditionalRouter, Route, routeNames } from "./conditional-router/index.js";
export { CSV_CONTENT_TYPE, CsvConfig, CsvDirection, csv } from "./csv/index.js";
export { FieldMapConfig, fieldMap } from "./field-map/index.js";
export { FileInConfig, fileIn } from "./file-in/index.js";
export { FileOutConfig, fileOut } from "./file-out/index.js";
export { HttpOutAuth, HttpOutBody, HttpOutConfig, httpOut } from "./http-out/index.js";
export { HttpWebhookConfig, httpWebhook, WebhookAuth } from "./http-webhook/index.js";
export { JsonTransformConfig, jsonTransform } from "./json-transform/index.js";
export { PostgresCdcConfig, postgresCdc } from "./postgres-cdc/index.js";
export { PostgresOutConfig, postgresOut } from "./postgres-out/index.js";
export { SlackBlock, SlackConfig, slack } from "./slack/index.js";
export { XML_CONTENT_TYPE, XmlConfig, XmlDirection, xml } from "./xml/index.js";
