import { builtinsByName } from "@vrsky/connectors";
import { parseIntegrationSpecDocument, resolveIntegration } from "@vrsky/runtime";
import { ConfigError, type Connector } from "@vrsky/sdk";
import type pg from "pg";
import { z } from "zod";
import { ApiError, type ProblemIssue } from "./problem.js";
import { latestOf, resolveConnector, versionsOf } from "./routes/connectors.js";
import { SecretName } from "./routes/secrets.js";

/** Prefix of a spec's connector reference that names a registry connector. */
export const REGISTRY_PREFIX = "registry:";

/** A registry connector a deployed version uses, pinned to one exact bundle. */
export const PinnedConnector = z.object({
  /** The reference as written in the spec, e.g. `registry:acme-upper@1`. */
  ref: z.string(),
  name: z.string(),
  version: z.string(),
  /** SHA-256 (hex) of the bundle; workers refuse a bundle that does not match. */
  sha256: z.string(),
  /** Where the bundle lives in the bundle store. */
  bundleKey: z.string(),
});
/** A registry connector pinned to one exact bundle. */
export type PinnedConnector = z.infer<typeof PinnedConnector>;

/** A spec that passed every check. */
export interface CheckedSpec {
  /** The integration name from the spec. */
  name: string;
  /** Registry connectors it uses, pinned. */
  connectors: PinnedConnector[];
  /** Names of the tenant secrets it refers to (`{ $secret: name }`), each one set. */
  secretRefs: string[];
}

/**
 * Validates an integration spec for a tenant as far as the control plane can without running
 * tenant code: the spec's own schema, every built-in connector's config, and every registry
 * connector's config against the JSON Schema in its manifest. Registry references
 * (`registry:<name>` or `registry:<name>@<version>`) are pinned to an exact version and bundle.
 * `{ $secret }` references must name a secret the tenant has set (its value stays sealed: the
 * workers get it);
 * `{ $env }` references are refused, since a hosted worker's environment is not the tenant's.
 *
 * @param text - the spec, YAML or JSON
 * @param format - how to read it
 * @param scope - the database and the tenant whose registry connectors are visible
 * @throws ApiError `INVALID_SPEC` listing every problem with its path and line
 */
export async function checkSpec(
  text: string,
  format: "yaml" | "json",
  scope: { db: pg.Pool; tenantId: string },
): Promise<CheckedSpec> {
  const file = format === "json" ? "integration.json" : "integration.yaml";
  const pins = new Map<string, PinnedConnector>();
  const builtins = builtinsByName();
  const { rows } = await scope.db.query<{ name: string }>(
    "select name from tenant_secrets where tenant_id = $1",
    [scope.tenantId],
  );
  const known = new Set(rows.map((row) => row.name));
  const secretRefs = new Set<string>();
  try {
    const { spec, positions } = parseIntegrationSpecDocument(text, { file, format });
    await resolveIntegration(spec, {
      file,
      positions,
      env: {},
      secrets: {
        get: async (key) => {
          if (!known.has(key)) return undefined;
          secretRefs.add(key);
          return "sealed: resolved by the worker";
        },
        hint: (key) =>
          SecretName.safeParse(key).success
            ? `set it with \`vrsky secrets set ${key}\` (PUT /v1/secrets/${key}), then deploy again`
            : "the platform's secret names are 1–128 letters, digits, '.', '_' or '-' (no '/'); rename the reference",
      },
      resolveConnector: async (ref) => {
        const builtin = builtins[ref];
        if (builtin) return builtin;
        if (!ref.startsWith(REGISTRY_PREFIX)) {
          throw new Error(
            `use a built-in connector or a registry one as \`${REGISTRY_PREFIX}<name>@<version>\` (\`vrsky connectors search\` lists them)`,
          );
        }
        const { pin, connector } = await registryConnector(ref, scope);
        pins.set(ref, pin);
        return connector;
      },
    });
    return { name: spec.name, connectors: [...pins.values()], secretRefs: [...secretRefs].sort() };
  } catch (error) {
    if (error instanceof ConfigError) {
      const issues: ProblemIssue[] = error.issues.map((issue) => ({
        path: issue.path === "" ? "spec" : `spec.${issue.path}`,
        message: issue.line === undefined ? issue.message : `line ${issue.line}: ${issue.message}`,
      }));
      throw new ApiError(
        "INVALID_SPEC",
        `the integration spec is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
        { issues, cause: error },
      );
    }
    throw error;
  }
}

async function registryConnector(
  ref: string,
  scope: { db: pg.Pool; tenantId: string },
): Promise<{ pin: PinnedConnector; connector: Connector }> {
  const spec = ref.slice(REGISTRY_PREFIX.length);
  const at = spec.lastIndexOf("@");
  const name = at > 0 ? spec.slice(0, at) : spec;
  const wanted = at > 0 ? spec.slice(at + 1) : undefined;
  const row = await resolveConnector(scope.db, name, scope.tenantId).catch(() => {
    throw new Error(
      `no registry connector "${name}" is visible to this tenant; publish it with \`vrsky publish\``,
    );
  });
  const versions = await versionsOf(scope.db, row.id);
  const version =
    wanted === undefined
      ? latestOf(versions)
      : versions.find(
          (v) => v.version === wanted || (v.yanked_at === null && v.version.startsWith(`${wanted}.`)),
        );
  if (version === undefined) {
    throw new Error(
      `${name} has no version ${wanted ?? "that is not yanked"}; published: ${versions.map((v) => v.version).join(", ") || "none"}`,
    );
  }
  const { manifest } = version;
  // A stand-in with the manifest's kind and config schema: enough to check the spec, without
  // running the tenant's code in the control plane.
  const connector = {
    kind: manifest.kind,
    name: manifest.name,
    version: manifest.version,
    description: manifest.description,
    config: z.fromJSONSchema(manifest.config as never),
  } as unknown as Connector;
  return {
    pin: { ref, name, version: version.version, sha256: version.sha256, bundleKey: version.bundle_key },
    connector,
  };
}
