// Builds and tests rendered templates as a user would: outside the monorepo, against packed
// copies of the workspace packages (they are not published yet). Shared by the package's
// vitest test and by check-templates.mjs, which CI runs; plain JavaScript so CI needs no build.
import { spawn } from "node:child_process";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = resolve(fileURLToPath(new URL("../../..", import.meta.url)));

/**
 * Runs a command; resolves with its combined output, rejects with it on a non-zero exit.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv }} options - `env` replaces the environment
 * @returns {Promise<string>}
 */
export function run(command, args, options) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolvePromise(output);
      else reject(new Error(`\`${command} ${args.join(" ")}\` in ${options.cwd} exited ${code}:\n${output}`));
    });
  });
}

/**
 * Builds a workspace package (packages/<name>) into `workDir` and packs it there, leaving the
 * package's own dist/ untouched.
 * @param {string} name - the folder under packages/, e.g. "sdk"
 * @param {string} workDir - an empty scratch directory
 * @returns {Promise<string>} the tarball's absolute path
 */
export async function packWorkspacePackage(name, workDir) {
  const packageDir = join(REPO, "packages", name);
  const stage = join(workDir, name);
  await mkdir(stage, { recursive: true });
  await run("npx", ["tsup", "--out-dir", join(stage, "dist")], { cwd: packageDir });
  await copyFile(join(packageDir, "package.json"), join(stage, "package.json"));
  const output = await run("npm", ["pack", "--json", "--pack-destination", workDir], { cwd: stage });
  const [packed] = JSON.parse(output.slice(output.indexOf("[")));
  return join(workDir, packed.filename);
}

/**
 * Packs the workspace packages templates depend on.
 * @param {string} workDir - an empty scratch directory
 * @returns {Promise<{ sdk: string, runtime: string }>} `file:` dependency specs
 */
export async function packTemplateDependencies(workDir) {
  const sdk = await packWorkspacePackage("sdk", workDir);
  const runtime = await packWorkspacePackage("runtime", workDir);
  return { sdk: `file:${sdk}`, runtime: `file:${runtime}` };
}

/**
 * Makes every copy of @vrsky/sdk in a rendered project's tree the packed one: the packed
 * runtime depends on @vrsky/sdk by version, which no registry serves yet.
 * @param {string} projectDir
 */
export async function pinWorkspaceDependencies(projectDir) {
  const file = join(projectDir, "package.json");
  const manifest = JSON.parse(await readFile(file, "utf8"));
  manifest.overrides = { ...manifest.overrides, "@vrsky/sdk": "$@vrsky/sdk" };
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Installs, tests and builds a rendered project, as its README tells a user to.
 * @param {string} projectDir
 * @param {{ reportFile?: string }} [options] - where vitest writes its JSON report
 * @returns {Promise<{ install: string, test: string, build: string }>} each step's output
 */
export async function checkTemplateProject(projectDir, options = {}) {
  // A child of a vitest worker inherits VITEST* variables that would change how the
  // project's own vitest runs, and FORCE_COLOR (set to anything) forces colour; start clean.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST") && key !== "FORCE_COLOR"),
  );
  const clean = { cwd: projectDir, env: { ...env, NODE_OPTIONS: "", NO_COLOR: "1" } };
  const install = await run("npm", ["install", "--no-audit", "--no-fund"], clean);
  const reporters = options.reportFile
    ? ["--", "--reporter=default", "--reporter=json", `--outputFile.json=${options.reportFile}`]
    : [];
  const test = await run("npm", ["test", ...reporters], clean);
  const build = await run("npm", ["run", "build"], clean);
  return { install, test, build };
}
