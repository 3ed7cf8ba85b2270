import { relative } from "node:path";
import { createConnectorResolver } from "@vrsky/runtime";
import type { Connector } from "@vrsky/sdk";
import { connectorEntry, type VrskyProject } from "./vrsky-project.js";

/**
 * Imports a project's connector from its sources (TypeScript compiled on the fly), the way
 * `vrsky dev` loads a connector referenced by path.
 *
 * @param project - a project whose vrsky.json names a connector
 * @returns the module's default export, or its only connector export
 * @throws ConfigError when the module cannot be imported or exports no connector
 * @throws CliError `INVALID_INPUT` when vrsky.json names no connector
 */
export async function loadProjectConnector(project: VrskyProject): Promise<Connector> {
  const entry = connectorEntry(project);
  const resolveConnector = createConnectorResolver({ builtins: [], baseDir: project.dir });
  const rel = relative(project.dir, entry).split("\\").join("/");
  return resolveConnector(rel.startsWith("..") ? entry : `./${rel}`);
}
