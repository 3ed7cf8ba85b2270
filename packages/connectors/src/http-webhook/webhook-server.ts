import { ConfigError } from "@vrsky/sdk";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { HEALTH_PATH } from "./config.js";

/** What a webhook step mounts on a shared server: the methods it accepts and its handler. */
export interface WebhookRoute {
  /** Accepted methods, upper-case; others get 405. */
  readonly methods: ReadonlySet<string>;
  /** Answers one request; the body is unread and available as `request.raw`. */
  handle(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

/** Where a route is mounted. */
export interface MountPoint {
  /** The interface to listen on. */
  readonly host: string;
  /** The TCP port. */
  readonly port: number;
  /** The exact request path. */
  readonly path: string;
}

interface SharedServer {
  readonly app: FastifyInstance;
  readonly routes: Map<string, WebhookRoute>;
}

// One server per host:port in this process, shared by every webhook step listening there.
const servers = new Map<string, SharedServer>();
// Mounts and unmounts of one host:port run one at a time, so a server is never being created
// and closed at once and a port is free again before a new server binds it.
const queues = new Map<string, Promise<void>>();

/**
 * Mounts a route on the shared server for `host:port`, creating and starting the server if it
 * is the first route there.
 *
 * @param at - host, port and path
 * @param route - the methods and handler
 * @returns a function that unmounts the route, closing the server once it has no routes left
 * @throws ConfigError if another step already serves the path, or the port cannot be bound
 * @example
 * ```ts
 * const unmount = await mountRoute({ host: "0.0.0.0", port: 8080, path: "/hooks/github" }, route);
 * try { await stopped; } finally { await unmount(); }
 * ```
 */
export async function mountRoute(at: MountPoint, route: WebhookRoute): Promise<() => Promise<void>> {
  const key = `${at.host}:${at.port}`;
  await serialize(key, async () => {
    let server = servers.get(key);
    if (!server) {
      server = await startServer(at);
      servers.set(key, server);
    }
    if (server.routes.has(at.path)) {
      throw new ConfigError(
        [
          {
            path: "path",
            message: `${at.path} is already served on ${key} by another step: give each step its own path`,
          },
        ],
        { where: "http-webhook" },
      );
    }
    server.routes.set(at.path, route);
  });
  let unmounted: Promise<void> | undefined;
  return () => {
    unmounted ??= serialize(key, async () => {
      const server = servers.get(key);
      if (!server || server.routes.get(at.path) !== route) return;
      server.routes.delete(at.path);
      if (server.routes.size > 0) return;
      servers.delete(key);
      await server.app.close();
    });
    return unmounted;
  };
}

/** The `host:port` keys of the servers running in this process, for tests and diagnostics. */
export function runningServers(): string[] {
  return [...servers.keys()];
}

function serialize(key: string, task: () => Promise<void>): Promise<void> {
  const run = (queues.get(key) ?? Promise.resolve()).then(task);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  // Forget the queue once idle so the map does not grow with every port ever used; the
  // promise cannot reject (`tail` swallows), so nothing is left floating.
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

async function startServer(at: MountPoint): Promise<SharedServer> {
  const routes = new Map<string, WebhookRoute>();
  // Closing only happens once every route has drained, so what is left open then is idle or
  // abandoned; destroying it keeps shutdown prompt.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  // Bodies are read by the route itself (streamed or verified), never parsed by fastify.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_request, _payload, done) => done(null, undefined));
  app.get(HEALTH_PATH, async () => ({ status: "ok", paths: routes.size }));
  const dispatch = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const path = request.url.split("?", 1)[0] ?? request.url;
    const route = routes.get(path);
    if (!route) {
      await reply.code(404).send({ error: "no webhook is served at this path" });
      return;
    }
    if (!route.methods.has(request.method)) {
      await reply
        .code(405)
        .header("allow", [...route.methods].join(", "))
        .send({ error: "method not allowed" });
      return;
    }
    await route.handle(request, reply);
  };
  app.all("/", dispatch);
  app.all("/*", dispatch);
  try {
    await app.listen({ host: at.host, port: at.port });
  } catch (error) {
    await app.close().catch(() => undefined);
    const code = error instanceof Error ? Reflect.get(error, "code") : undefined;
    if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
      throw new ConfigError(
        [
          {
            path: "port",
            message: `cannot listen on ${at.host}:${at.port} (${String(code)}): the port is taken by another process, needs privileges, or the host is not an address of this machine — choose another port or host`,
          },
        ],
        { where: "http-webhook", cause: error },
      );
    }
    throw error;
  }
  return { app, routes };
}
