import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import type pg from "pg";
import { z } from "zod";
import { ApiError } from "./problem.js";

/** Scopes a tenant API key can carry. */
export const Scope = z.enum([
  "registry:read",
  "registry:write",
  "keys:read",
  "keys:write",
  "integrations:read",
  "integrations:write",
  "secrets:read",
  "secrets:write",
]);
/** A scope of a tenant API key. */
export type Scope = z.infer<typeof Scope>;

/** What a route demands: the admin token, or a tenant key with a scope. */
export type RouteAuth = "admin" | { scope: Scope };

/** Who is calling, once authenticated. */
export type Principal =
  | { kind: "admin" }
  | { kind: "tenant"; keyId: string; tenantId: string; scopes: readonly Scope[] };

declare module "fastify" {
  interface FastifyContextConfig {
    /** Authentication the route requires; routes without it are public (docs, OpenAPI). */
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    /** Set by the auth hook on authenticated routes. */
    principal: Principal | undefined;
  }
}

const KEY_PREFIX = "vrsky_";

/**
 * Makes a new API key: the secret (shown once), its SHA-256 (stored) and a display prefix.
 * @example
 * ```ts
 * const { secret, hash, prefix } = generateApiKey(); // secret: "vrsky_…"
 * ```
 */
export function generateApiKey(): { secret: string; hash: string; prefix: string } {
  const secret = KEY_PREFIX + randomBytes(24).toString("base64url");
  return { secret, hash: hashApiKey(secret), prefix: secret.slice(0, KEY_PREFIX.length + 6) };
}

/**
 * SHA-256 hex of a key; keys are random and long, so a fast hash without salt suffices.
 * @param secret - the full key
 */
export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

function sameSecret(a: string, b: string): boolean {
  const x = createHash("sha256").update(a).digest();
  const y = createHash("sha256").update(b).digest();
  return timingSafeEqual(x, y);
}

/**
 * Authenticates and authorises a request against the route's `config.auth`.
 * @param request - the incoming request
 * @param db - the pool
 * @param adminToken - the platform admin token
 * @throws ApiError UNAUTHENTICATED (missing, wrong or revoked credentials) or FORBIDDEN
 *   (suspended tenant, missing scope, admin-only route)
 */
export async function authenticate(request: FastifyRequest, db: pg.Pool, adminToken: string): Promise<void> {
  const required = request.routeOptions.config.auth;
  if (required === undefined) return;
  const header = request.headers.authorization;
  const match = typeof header === "string" ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  const token = match?.[1];
  if (token === undefined) {
    throw new ApiError("UNAUTHENTICATED", "send an API key as `Authorization: Bearer <key>`");
  }
  if (sameSecret(token, adminToken)) {
    request.principal = { kind: "admin" };
  } else if (token.startsWith(KEY_PREFIX)) {
    const { rows } = await db.query<{ id: string; tenant_id: string; scopes: string[]; suspended: boolean }>(
      `select k.id, k.tenant_id, k.scopes, t.suspended
         from api_keys k join tenants t on t.id = k.tenant_id
        where k.hash = $1 and k.revoked_at is null`,
      [hashApiKey(token)],
    );
    const row = rows[0];
    if (row === undefined) throw new ApiError("UNAUTHENTICATED", "the API key is unknown or revoked");
    if (row.suspended) {
      throw new ApiError("FORBIDDEN", "the tenant is suspended; contact the platform operator");
    }
    const scopes = row.scopes.flatMap((s) => {
      const parsed = Scope.safeParse(s);
      return parsed.success ? [parsed.data] : [];
    });
    request.principal = { kind: "tenant", keyId: row.id, tenantId: row.tenant_id, scopes };
  } else {
    throw new ApiError("UNAUTHENTICATED", "the API key is unknown or revoked");
  }
  const principal = request.principal;
  if (required === "admin") {
    if (principal.kind !== "admin") throw new ApiError("FORBIDDEN", "this endpoint needs the admin token");
  } else if (principal.kind !== "tenant") {
    throw new ApiError("FORBIDDEN", "this endpoint needs a tenant API key, not the admin token");
  } else if (!principal.scopes.includes(required.scope)) {
    throw new ApiError("FORBIDDEN", `the API key lacks scope ${required.scope}; create a key that has it`);
  }
}

/**
 * The tenant principal of a request on a tenant route.
 * @param request - an authenticated request
 * @throws ApiError FORBIDDEN when the caller is not a tenant key
 */
export function tenantOf(request: FastifyRequest): Extract<Principal, { kind: "tenant" }> {
  const p = request.principal;
  if (p?.kind !== "tenant") throw new ApiError("FORBIDDEN", "this endpoint needs a tenant API key");
  return p;
}
