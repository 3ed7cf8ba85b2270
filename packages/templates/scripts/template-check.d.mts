/** Runs a command; resolves with its combined output, rejects with it on a non-zero exit. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<string>;
/** Builds packages/<name> into `workDir` and packs it there; returns the tarball's path. */
export function packWorkspacePackage(name: string, workDir: string): Promise<string>;
/** Packs the workspace packages templates depend on; returns `file:` dependency specs. */
export function packTemplateDependencies(workDir: string): Promise<{ sdk: string; runtime: string }>;
/** Makes every @vrsky/sdk in a rendered project's tree the packed one. */
export function pinWorkspaceDependencies(projectDir: string): Promise<void>;
/** Installs, tests and builds a rendered project; returns each step's output. */
export function checkTemplateProject(
  projectDir: string,
  options?: { reportFile?: string },
): Promise<{ install: string; test: string; build: string }>;
