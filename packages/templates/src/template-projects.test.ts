import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkTemplateProject,
  packTemplateDependencies,
  pinWorkspaceDependencies,
} from "../scripts/template-check.mjs";
import { renderTemplate } from "./render-template.js";
import { TEMPLATE_KINDS } from "./template-kind.js";

// Each template, rendered outside the repository, must install from npm and pass its own tests
// and build at once — against the SDK and runtime packed from this checkout, as they are not
// published yet. One (slow) test per template.
describe("every template is a project that installs, tests and builds", () => {
  let work = "";
  let deps = { sdk: "", runtime: "" };
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "vrsky-template-projects-"));
    deps = await packTemplateDependencies(work);
  }, 180_000);
  afterAll(() => rm(work, { recursive: true, force: true }));

  for (const kind of TEMPLATE_KINDS) {
    it(`${kind}: npm install, npm test and npm run build pass`, async () => {
      const projectDir = join(work, kind);
      await renderTemplate(
        kind,
        { name: `sample-${kind}`, sdkVersion: deps.sdk, runtimeVersion: deps.runtime },
        projectDir,
      );
      await pinWorkspaceDependencies(projectDir);
      const { test: output } = await checkTemplateProject(projectDir);
      const test = stripVTControlCharacters(output);
      expect(test).toMatch(/Tests\s+\d+ passed/);
      expect(test).not.toMatch(/\d+ failed/);
    }, 300_000);
  }
});
