import { Args, Flags } from "@oclif/core";
import type { ConformanceReport } from "@vrsky/sdk/testing";
import { VrskyCommand } from "../base-command.js";
import { ExitCode } from "../exit-code.js";
import { loadProjectConnector } from "../project/load-connector.js";
import { runProjectConformance } from "../project/project-conformance.js";
import { runProjectVitest, type VitestSummary } from "../project/run-vitest.js";
import { readProject } from "../project/vrsky-project.js";

/** What `vrsky test --json` prints. */
export interface TestResult {
  /** `true` when the tests and the conformance suite passed. */
  ok: boolean;
  /** The project's vitest run; absent with `--skip-tests`. */
  tests?: VitestSummary;
  /** The conformance report. */
  conformance: ConformanceReport;
}

/** `vrsky test`: the project's tests, then the conformance suite. */
export default class Test extends VrskyCommand<TestResult> {
  static override summary = "Run a connector project's tests, then the VRSky conformance suite on it.";

  static override description =
    `Runs the project's vitest, then checks the connector against the conformance suite every connector must pass before it is published: manifest, config schema, clean lifecycle, typed errors, determinism, routes, checkpoint resumption, retry safety. The suite runs with vrsky.json's "testConfig" (else the connector's first example), "fixtures" and "badInput".

Exits 1 when a test or a check fails.`;

  static override examples = [
    {
      description: "Test the project in the current directory",
      command: "<%= config.bin %> <%= command.id %>",
    },
    {
      description: "Only the conformance suite, as JSON",
      command: "<%= config.bin %> <%= command.id %> --skip-tests --json",
    },
  ];

  static override args = {
    path: Args.string({ description: "The project directory.", default: "." }),
  };

  static override flags = {
    "skip-tests": Flags.boolean({ description: "Run only the conformance suite, not the project's vitest." }),
  };

  async run(): Promise<TestResult> {
    const { args, flags } = await this.parse(Test);
    const project = await readProject(args.path);
    const { green, red } = this.out;
    let tests: VitestSummary | undefined;
    if (!flags["skip-tests"]) {
      tests = await runProjectVitest(project.dir, { output: this.jsonEnabled() ? "discard" : "inherit" });
    }
    const connector = await loadProjectConnector(project);
    // Relative paths in the test config (a producer's output directory) are the project's.
    process.chdir(project.dir);
    const { report, text } = await this.progress(`Checking ${connector.name} for conformance`, () =>
      runProjectConformance(project, connector),
    );
    this.log(text);
    const ok = (tests?.ok ?? true) && report.ok;
    this.log("");
    if (tests) {
      this.log(
        `tests: ${tests.passed} passed, ${tests.failed} failed${tests.ok ? "" : red(" (vitest failed)")}`,
      );
    }
    const failedChecks = report.checks.filter((c) => !c.ok).length;
    const skippedChecks = report.checks.filter((c) => c.skipped).length;
    const passedChecks = report.checks.length - failedChecks - skippedChecks;
    const skippedText = skippedChecks === 0 ? "" : `, ${skippedChecks} skipped`;
    this.log(`conformance: ${passedChecks} passed, ${failedChecks} failed${skippedText}`);
    this.log(ok ? green("✓ ready to publish") : red("✗ not ready: fix the failures above"));
    if (!ok) this.exitStatus = ExitCode.Failure;
    return { ok, ...(tests ? { tests } : {}), conformance: report };
  }
}
