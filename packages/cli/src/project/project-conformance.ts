import { readFile } from "node:fs/promises";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Connector, MessageInit } from "@vrsky/sdk";
import {
  type ConformanceOptions,
  type ConformanceReport,
  checkConformance as ownCheckConformance,
  formatConformanceReport as ownFormatConformanceReport,
} from "@vrsky/sdk/testing";
import { CliError, CliErrorCode } from "../cli-error.js";
import { resolvePackageExport } from "./package-entry.js";
import type { VrskyProject } from "./vrsky-project.js";

/** The conformance suite's entry points. */
interface ConformanceKit {
  checkConformance(connector: Connector, options: ConformanceOptions): Promise<ConformanceReport>;
  formatConformanceReport(report: ConformanceReport): string;
}

/** What {@link runProjectConformance} found. */
export interface ProjectConformance {
  /** The report. */
  report: ConformanceReport;
  /** The report as text, one line per check. */
  text: string;
  /** Where the suite came from: the project's installed `@vrsky/sdk`, or the CLI's own copy. */
  suite: "project" | "cli";
}

/**
 * Runs the conformance suite on a project's connector with the config from vrsky.json
 * (`testConfig`, else the connector's first example), its fixtures and its bad input. The suite
 * comes from the project's own `@vrsky/sdk`, so messages and errors are of the same copy of the
 * SDK as the connector's.
 *
 * @param project - the project
 * @param connector - its connector, loaded
 * @throws CliError `INVALID_INPUT` when there is no config to run with
 * @throws ConfigError when a fixture file is not valid JSON
 */
export async function runProjectConformance(
  project: VrskyProject,
  connector: Connector,
): Promise<ProjectConformance> {
  const config = project.config.testConfig ?? connector.examples?.[0]?.config;
  if (config === undefined) {
    throw new CliError(
      CliErrorCode.InvalidInput,
      `no config to run ${connector.name}'s conformance suite with`,
      {
        suggestions: [`add "testConfig": { … } to ${project.file}, or an example to the connector`],
      },
    );
  }
  const fixtures = await Promise.all(project.config.fixtures.map((file) => readFixture(project.dir, file)));
  const { badInput } = project.config;
  const { kit, suite } = await loadKit(project.dir);
  const report = await kit.checkConformance(connector, {
    config,
    fixtures,
    ...(badInput === undefined ? {} : { badInput: toMessageInit(badInput) }),
  });
  return { report, text: kit.formatConformanceReport(report), suite };
}

async function loadKit(projectDir: string): Promise<{ kit: ConformanceKit; suite: "project" | "cli" }> {
  const file = resolvePackageExport(projectDir, "@vrsky/sdk", "./testing");
  if (file !== undefined) {
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    if (
      typeof module.checkConformance === "function" &&
      typeof module.formatConformanceReport === "function"
    ) {
      return { kit: module as unknown as ConformanceKit, suite: "project" };
    }
  }
  return {
    kit: { checkConformance: ownCheckConformance, formatConformanceReport: ownFormatConformanceReport },
    suite: "cli",
  };
}

async function readFixture(dir: string, file: string): Promise<MessageInit> {
  const path = resolve(dir, file);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new CliError(CliErrorCode.NotFound, `fixture ${path} listed in vrsky.json cannot be read`, {
      cause,
    });
  }
  if (extname(path).toLowerCase() !== ".json") return { body: text };
  try {
    return { json: JSON.parse(text) as unknown };
  } catch (cause) {
    throw new CliError(
      CliErrorCode.InvalidInput,
      `fixture ${path} is not valid JSON: ${(cause as Error).message}`,
    );
  }
}

function toMessageInit(input: { body: string } | { json?: unknown }): MessageInit {
  return "body" in input ? { body: input.body } : { json: input.json };
}
