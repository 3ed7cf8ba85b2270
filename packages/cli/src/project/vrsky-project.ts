import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { ConfigError, toConfigIssues, z } from "@vrsky/sdk";
import { CliError, CliErrorCode } from "../cli-error.js";

/** The file that marks a VRSky project. */
export const PROJECT_FILE = "vrsky.json";

/** A message body in vrsky.json: text or a JSON value. */
const FileMessage = z.union([z.strictObject({ body: z.string() }), z.strictObject({ json: z.unknown() })]);

/** The contents of vrsky.json. */
export const ProjectFile = z.object({
  /** The connector or integration name. */
  name: z.string().min(1).optional(),
  /** The connector kind, for readers that do not load code. */
  kind: z.enum(["consumer", "producer", "converter", "filter"]).optional(),
  /** The connector's entry module, relative to the project, e.g. `src/index.ts`. */
  connector: z.string().min(1).optional(),
  /** The integration spec, relative to the project, e.g. `integration.yaml`. */
  integration: z.string().min(1).optional(),
  /** The config `vrsky test` runs the conformance suite with. @default the connector's first example */
  testConfig: z.unknown().optional(),
  /** Fixture files for the conformance suite: `.json` files become JSON bodies, others text. */
  fixtures: z.array(z.string().min(1)).default([]),
  /** An input the connector must reject with a FatalError. */
  badInput: FileMessage.optional(),
});
/** The contents of vrsky.json. */
export type ProjectFile = z.infer<typeof ProjectFile>;

/** A VRSky project on disk. */
export interface VrskyProject {
  /** Absolute project directory. */
  dir: string;
  /** Absolute path of its vrsky.json. */
  file: string;
  /** The parsed vrsky.json. */
  config: ProjectFile;
}

/**
 * Reads the project in a directory.
 * @param dir - the project directory
 * @throws CliError `NOT_FOUND` when it has no vrsky.json
 * @throws ConfigError when vrsky.json is not valid JSON or not a valid project file
 */
export async function readProject(dir: string): Promise<VrskyProject> {
  const root = resolve(dir);
  const file = join(root, PROJECT_FILE);
  if (!existsSync(file)) {
    throw new CliError(CliErrorCode.NotFound, `no ${PROJECT_FILE} in ${root}: this is not a VRSky project`, {
      suggestions: [
        "run the command in a project directory, or pass its path",
        "create one with `vrsky init connector <name> --kind <kind>`",
      ],
    });
  }
  const text = await readFile(file, "utf8");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError([{ path: "", message: `not valid JSON: ${(cause as Error).message}` }], {
      where: file,
      cause,
    });
  }
  const parsed = ProjectFile.safeParse(raw);
  if (!parsed.success) throw new ConfigError(toConfigIssues(parsed.error), { where: file });
  return { dir: root, file, config: parsed.data };
}

/**
 * The nearest project at or above a directory.
 * @param start - where to start looking
 * @returns the project, or `undefined` when no directory up to the root has a vrsky.json
 * @throws ConfigError when the vrsky.json found is invalid
 */
export async function findProject(start: string): Promise<VrskyProject | undefined> {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, PROJECT_FILE))) return readProject(dir);
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The project's connector entry, absolute.
 * @param project - a project
 * @throws CliError `INVALID_INPUT` when vrsky.json names no connector
 */
export function connectorEntry(project: VrskyProject): string {
  const entry = project.config.connector;
  if (entry === undefined) {
    throw new CliError(CliErrorCode.InvalidInput, `${project.file} has no "connector" field`, {
      suggestions: ['add "connector": "src/index.ts" (the module whose default export is the connector)'],
    });
  }
  return resolve(project.dir, entry);
}
