import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { delimiter, isAbsolute, join } from "node:path";

/**
 * Finds an executable the way a shell would: an absolute path is checked as is, a bare name is
 * looked up in each directory of `env.PATH`.
 *
 * @param name - a bare command name (`nats-server`) or an absolute path
 * @param env - the environment whose `PATH` is searched @default process.env
 * @returns the absolute path, or `undefined` when not found
 */
export async function findExecutable(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  const candidates = isAbsolute(name)
    ? [name]
    : (env.PATH ?? "")
        .split(delimiter)
        .filter((dir) => dir !== "")
        .map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return undefined;
}
