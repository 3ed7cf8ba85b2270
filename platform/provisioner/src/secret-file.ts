import { chmod, rename, writeFile } from "node:fs/promises";

let sequence = 0;

/**
 * Writes `text` to a temp file with mode 0600, then renames it over `path`, so readers never see a
 * half-written file and the secret is never readable by group or others.
 *
 * @param path - the target file
 * @param text - the content (seeds, creds)
 */
export async function writeSecretFile(path: string, text: string): Promise<void> {
  sequence += 1;
  const temp = `${path}.${process.pid}.${sequence}.tmp`;
  await writeFile(temp, text, { mode: 0o600 });
  // `mode` only applies when the file is created; a stale temp file may have kept another mode.
  await chmod(temp, 0o600);
  await rename(temp, path);
}
