import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";

/** One request the server received. */
export interface RecordedRequest {
  /** HTTP method. */
  method: string;
  /** Path and query. */
  url: string;
  /** Headers, names lower-cased. */
  headers: IncomingHttpHeaders;
  /** The whole body. */
  body: Buffer;
  /** Hex sha256 of the body. */
  sha256: string;
}

/** What the server answers. */
export interface Reply {
  /** @default 200 */
  status?: number;
  /** Response headers. */
  headers?: Record<string, string>;
  /** Response body. @default "" */
  body?: string;
}

/** Decides the reply; may never resolve, to model a target that hangs. */
export type Responder = (request: RecordedRequest, index: number) => Reply | Promise<Reply>;

/** A real HTTP server on 127.0.0.1 that records every request, standing in for an API or Slack. */
export interface RecordingServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Requests received so far, in order. */
  readonly requests: RecordedRequest[];
  /** Replaces the responder. */
  respond(responder: Responder): void;
  /** Closes the server and every connection, including hanging ones. */
  close(): Promise<void>;
}

/**
 * Starts a recording server on a free port. Every response carries `Connection: close`, so no
 * idle keep-alive socket outlives a test (the conformance suite's leak check would see it).
 * @param responder - the reply to each request @default 200 "ok"
 */
export async function startRecordingServer(
  responder: Responder = () => ({ body: "ok" }),
): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  let current = responder;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const request: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body,
        sha256: createHash("sha256").update(body).digest("hex"),
      };
      requests.push(request);
      Promise.resolve(current(request, requests.length - 1)).then(
        (reply) => {
          res.writeHead(reply.status ?? 200, { ...reply.headers, connection: "close" });
          res.end(reply.body ?? "");
        },
        () => res.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respond(next) {
      current = next;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
