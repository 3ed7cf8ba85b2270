import { createServer } from "node:net";

/**
 * Asks the OS for a TCP port that is free on 127.0.0.1 right now. Another process may take it
 * before the caller binds it; callers that can let the server pick its own port should.
 *
 * @returns a port number
 */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error("could not read the port the OS assigned on 127.0.0.1"));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}
