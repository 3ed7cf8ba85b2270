import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from "fastify";
import pg from "pg";
import { z } from "zod";
import { authenticate } from "./auth.js";
import type { BundleStore } from "./bundle-store.js";
import { DEFAULT_PLANS, type PlanQuota } from "./plans.js";
import { ApiError, PROBLEM_CONTENT_TYPE, zodIssues } from "./problem.js";
import { connectorRoutes } from "./routes/connectors.js";
import { type DeadLetterAccess, integrationRoutes } from "./routes/integrations.js";
import { keyRoutes } from "./routes/keys.js";
import { secretRoutes } from "./routes/secrets.js";
import { tenantRoutes } from "./routes/tenants.js";
import type { SecretBox } from "./secret-box.js";
import { zodSerializerCompiler, zodSwaggerTransform, zodValidatorCompiler } from "./zod-schema-compiler.js";

/** Per-key request budget. */
export interface RateLimitOptions {
  /** Requests allowed per window. @default 600 */
  max: number;
  /** Window length in milliseconds. @default 60_000 */
  timeWindow: number;
}

/** Options of {@link createApi}. */
export interface CreateApiOptions {
  /** Postgres connection string; run {@link migrate} on it first. */
  databaseUrl: string;
  /** Where connector bundles are stored. */
  bundles: BundleStore;
  /** Token of the platform operator, sent as `Authorization: Bearer <adminToken>`. */
  adminToken: string;
  /** Rate limit per API key. @default { max: 600, timeWindow: 60_000 } */
  rateLimit?: RateLimitOptions;
  /** Fastify logger settings; the `authorization` header is always redacted. @default false */
  logger?: boolean;
  /** Largest request body in bytes (bundles travel base64 in JSON). @default 20 MiB */
  bodyLimit?: number;
  /** Quotas by plan name. @default DEFAULT_PLANS */
  plans?: Readonly<Record<string, PlanQuota>>;
  /** Reaches running integrations' dead letters; without it the DLQ routes answer 503. */
  deadLetters?: DeadLetterAccess;
  /** Seals tenant secrets (give the orchestrator the same key); without it the secret routes answer 503. */
  secrets?: SecretBox;
}

/**
 * Builds the control-plane API: tenants, API keys and the connector registry under `/v1`,
 * OpenAPI at `/openapi.json` and an interactive reference at `/docs`. Closing the instance
 * closes its Postgres pool; the bundle store belongs to the caller.
 *
 * @param options - database, bundle store, admin token, rate limit
 * @returns a ready fastify instance; call `listen()` or use `inject()`
 * @throws Error when the admin token is shorter than 16 characters
 * @example
 * ```ts
 * await migrate(databaseUrl);
 * const api = await createApi({ databaseUrl, bundles, adminToken: process.env.VRSKY_ADMIN_TOKEN });
 * await api.listen({ port: 8080 });
 * ```
 */
export async function createApi(options: CreateApiOptions): Promise<FastifyInstance> {
  if (options.adminToken.length < 16) {
    throw new Error(
      "createApi: adminToken must be at least 16 characters; generate one with `openssl rand -hex 32`",
    );
  }
  const serverOptions: FastifyServerOptions = {
    bodyLimit: options.bodyLimit ?? 20 * 1024 * 1024,
    logger: options.logger ? { redact: ["req.headers.authorization"] } : false,
  };
  const app = Fastify(serverOptions);
  const db = new pg.Pool({ connectionString: options.databaseUrl });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  db.on("error", (error) => app.log.error({ err: error }, "idle Postgres client failed"));
  app.addHook("onClose", async () => db.end());

  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(zodSerializerCompiler);
  app.decorateRequest("principal", undefined);
  app.setErrorHandler((error, _request, reply) => {
    const apiError = toApiError(error);
    if (apiError.code === "INTERNAL") reply.log.error({ err: error }, "unhandled error");
    if (apiError.retryAfterSeconds !== undefined)
      reply.header("retry-after", String(apiError.retryAfterSeconds));
    return reply.code(apiError.statusCode).type(PROBLEM_CONTENT_TYPE).send(apiError.toProblem());
  });
  app.setNotFoundHandler((request, reply) => {
    const problem = new ApiError("NOT_FOUND", `no route ${request.method} ${request.url.split("?")[0]}`);
    return reply.code(404).type(PROBLEM_CONTENT_TYPE).send(problem.toProblem());
  });
  app.addHook("onRequest", async (request) => authenticate(request, db, options.adminToken));

  await app.register(rateLimit, {
    global: true,
    // After auth, so the budget is per key rather than per IP.
    hook: "preHandler",
    max: options.rateLimit?.max ?? 600,
    timeWindow: options.rateLimit?.timeWindow ?? 60_000,
    // Budgets are per tenant key; the operator's admin token and public routes are not limited.
    allowList: (request) => request.principal?.kind !== "tenant",
    keyGenerator: (request) => (request.principal?.kind === "tenant" ? request.principal.keyId : request.ip),
    errorResponseBuilder: (_request, context) =>
      new ApiError(
        "RATE_LIMITED",
        `rate limit of ${context.max} requests per ${context.after} exceeded; retry later`,
        {
          retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)),
        },
      ),
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: { title: "VRSky control-plane API", version: "0.1.0" },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    },
    transform: zodSwaggerTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  tenantRoutes(app, { db, bundles: options.bundles });
  keyRoutes(app, { db });
  secretRoutes(app, { db, box: options.secrets });
  connectorRoutes(app, { db, bundles: options.bundles });
  integrationRoutes(app, { db, plans: options.plans ?? DEFAULT_PLANS, deadLetters: options.deadLetters });
  await app.ready();
  return app;
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && typeof (error as Partial<FastifyError>).statusCode === "number";
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof z.ZodError) {
    const context = (error as z.ZodError & { validationContext?: string }).validationContext ?? "body";
    const issues = zodIssues(error, context);
    return new ApiError(
      "VALIDATION_FAILED",
      `the request is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      { issues, cause: error },
    );
  }
  if (isFastifyError(error) && error.statusCode !== undefined && error.statusCode < 500) {
    if (error.statusCode === 413) return new ApiError("PAYLOAD_TOO_LARGE", error.message, { cause: error });
    return new ApiError("BAD_REQUEST", error.message, { cause: error });
  }
  return new ApiError("INTERNAL", "the server failed; the error is logged", { cause: error });
}
