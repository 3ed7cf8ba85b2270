import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { type Connector, ConnectorManifest, connectorManifest, isConnector } from "@vrsky/sdk";
import { build, type Message } from "esbuild";
import { CliError, CliErrorCode } from "../cli-error.js";

/** The bundle's entry in `dist/manifest.json`. */
export interface BundleInfo {
  /** File name, relative to the manifest. */
  file: string;
  /** Hex sha256 of the file. */
  sha256: string;
  /** Size in bytes. */
  size: number;
}

/** `dist/manifest.json`: the connector's manifest plus its bundle. */
export type BuiltManifest = ConnectorManifest & { bundle: BundleInfo };

/** What {@link bundleConnector} produced. */
export interface BundleResult {
  /** The connector, loaded from the bundle. */
  connector: Connector;
  /** The manifest written. */
  manifest: BuiltManifest;
  /** Absolute path of the bundle. */
  bundlePath: string;
  /** Absolute path of the manifest. */
  manifestPath: string;
  /** Bundler warnings, formatted. */
  warnings: string[];
}

/** The bundle and manifest names inside the output directory. */
export const BUNDLE_FILE = "connector.mjs";
/** The manifest's name inside the output directory. */
export const MANIFEST_FILE = "manifest.json";

// CommonJS dependencies call require() for Node built-ins, which an ESM bundle lacks.
const REQUIRE_SHIM =
  'import { createRequire as __vrskyCreateRequire } from "node:module";\n' +
  "const require = __vrskyCreateRequire(import.meta.url);";

/**
 * Bundles a connector into one self-contained ES module (every dependency inlined except Node
 * built-ins, target Node 20), loads the bundle to check it is a connector, and writes the
 * manifest with the bundle's sha256 and size beside it.
 *
 * @param entry - the connector's entry module
 * @param outDir - where `connector.mjs` and `manifest.json` go
 * @returns the loaded connector, the manifest and the paths written
 * @throws CliError `FAILED` when bundling fails (each error with file and line) or the bundle
 *   exports no connector
 */
export async function bundleConnector(entry: string, outDir: string): Promise<BundleResult> {
  const bundlePath = join(outDir, BUNDLE_FILE);
  await mkdir(outDir, { recursive: true });
  let warnings: Message[];
  try {
    const result = await build({
      entryPoints: [entry],
      outfile: bundlePath,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      banner: { js: REQUIRE_SHIM },
      legalComments: "none",
      logLevel: "silent",
    });
    warnings = result.warnings;
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors ?? [];
    throw new CliError(
      CliErrorCode.Failed,
      `bundling ${entry} failed:\n${errors.map((m) => `  ${formatMessage(m)}`).join("\n") || String(error)}`,
      { suggestions: ["run `npm install` if a package is missing"], cause: error },
    );
  }
  const bytes = await readFile(bundlePath);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const connector = pickConnector(
    await import(`${pathToFileURL(bundlePath).href}?sha256=${sha256}`),
    bundlePath,
  );
  const manifest: BuiltManifest = {
    ...ConnectorManifest.parse(connectorManifest(connector)),
    bundle: { file: BUNDLE_FILE, sha256, size: bytes.byteLength },
  };
  const manifestPath = join(outDir, MANIFEST_FILE);
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { connector, manifest, bundlePath, manifestPath, warnings: warnings.map(formatMessage) };
}

function pickConnector(module: Record<string, unknown>, file: string): Connector {
  if (isConnector(module.default)) return module.default;
  const found = Object.values(module).filter(isConnector);
  const [only] = found;
  if (only !== undefined && found.length === 1) return only;
  throw new CliError(
    CliErrorCode.Failed,
    found.length === 0
      ? `${file} exports no connector`
      : `${file} exports ${found.length} connectors and no default export`,
    {
      suggestions: [
        "end the entry module with `export default defineConverter({ … })` (or the define* of its kind)",
      ],
    },
  );
}

function formatMessage(message: Message): string {
  const at = message.location
    ? `${relative(process.cwd(), message.location.file) || message.location.file}:${message.location.line}:${message.location.column}: `
    : "";
  return `${at}${message.text}`;
}
