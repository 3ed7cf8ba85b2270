import { defineIntegration } from "../define-integration.js";

export default defineIntegration({
  name: "orders",
  source: { connector: "webhook-in", config: { path: "/orders" } },
  steps: [{ name: "to-order", connector: "json-map", config: { expression: "body" } }],
  sinks: { db: { connector: "db-out", config: { url: { $env: "DATABASE_URL" } } } },
  settings: { claimCheck: { ttl: "5m" } },
});
