import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

/** A running `/metrics` endpoint. */
export interface MetricsServer {
  /** The URL Prometheus scrapes, e.g. `http://127.0.0.1:9464/metrics`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Options of {@link serveMetrics}. */
export interface ServeMetricsOptions {
  registry: Registry;
  /** @default 9464 (0 picks a free port) */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** Extra health check for `/healthz`; return false to answer 503. */
  healthy?: () => boolean | Promise<boolean>;
}

/**
 * Serves a worker's metrics in the Prometheus text format on `/metrics`, and `/healthz`.
 * @example
 * ```ts
 * const metrics = await serveMetrics({ registry, port: 9464 });
 * ```
 */
export async function serveMetrics(options: ServeMetricsOptions): Promise<MetricsServer> {
  const { registry } = options;
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        if (req.url === "/metrics") {
          const body = await registry.metrics();
          res.writeHead(200, { "content-type": registry.contentType }).end(body);
        } else if (req.url === "/healthz") {
          const ok = (await options.healthy?.()) ?? true;
          res.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify({ ok }));
        } else {
          res.writeHead(404).end();
        }
      } catch (err) {
        res.writeHead(500, { "content-type": "text/plain" }).end((err as Error).message);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 9464, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}/metrics`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
