import { createServer } from "node:net";

/**
 * A TCP port free on 127.0.0.1 right now (another process may still take it before use).
 * Webhook steps listen on a configured port, so tests pick one this way.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no port assigned"))));
    });
  });
}

/**
 * Whether a port on 127.0.0.1 can be bound now, i.e. nothing listens on it any more.
 * @param port - the port to try
 */
export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
