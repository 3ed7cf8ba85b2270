#!/usr/bin/env node
// Renders every template into a scratch directory outside the repository, installs it against
// packed workspace packages, and runs its tests and build. With RESULTS set, each template's
// vitest JSON report is written to $RESULTS/template-<kind>.json so CI can count the tests.
//
//   RESULTS=.ci/results/templates node packages/templates/scripts/check-templates.mjs
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  checkTemplateProject,
  packTemplateDependencies,
  pinWorkspaceDependencies,
  run,
} from "./template-check.mjs";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const results = process.env.RESULTS ? resolve(process.env.RESULTS) : undefined;

// This script runs under plain node, so it uses the package's build rather than its sources.
await run("npx", ["tsup"], { cwd: packageDir });
const { TEMPLATE_KINDS, renderTemplate } = await import(new URL("../dist/index.js", import.meta.url).href);

const work = await mkdtemp(join(tmpdir(), "vrsky-templates-"));
let failed = 0;
try {
  if (results) await mkdir(results, { recursive: true });
  const deps = await packTemplateDependencies(work);
  for (const kind of TEMPLATE_KINDS) {
    const started = Date.now();
    const projectDir = join(work, kind);
    try {
      await renderTemplate(
        kind,
        { name: `sample-${kind}`, sdkVersion: deps.sdk, runtimeVersion: deps.runtime },
        projectDir,
      );
      await pinWorkspaceDependencies(projectDir);
      const reportFile = results ? join(results, `template-${kind}.json`) : undefined;
      await checkTemplateProject(projectDir, reportFile ? { reportFile } : {});
      console.log(`✓ ${kind} (${Math.round((Date.now() - started) / 1000)} s)`);
    } catch (error) {
      failed++;
      console.error(`✗ ${kind}\n${error instanceof Error ? error.message : String(error)}`);
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
console.log(`templates: ${TEMPLATE_KINDS.length - failed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
