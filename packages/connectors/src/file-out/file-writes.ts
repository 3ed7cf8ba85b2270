import { randomUUID } from "node:crypto";
import { link, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Writes a file so readers see either nothing or the whole content: the chunks go to a temp
 * file in the same directory, which is flushed to disk and then renamed over the target.
 * Writing the same target again replaces it whole.
 *
 * @param target - the file to write
 * @param chunks - the content, streamed
 * @throws what fs throws; the temp file is removed
 */
export async function writeAtomically(target: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  const temp = tempPath(target);
  try {
    const file = await open(temp, "wx");
    try {
      for await (const chunk of chunks) await file.write(chunk);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncDirectory(dirname(target));
}

/**
 * Appends text to a file with one `write` in append mode, creating the file — with `header`
 * as its first line — when it does not exist. The header is written by creating the file with
 * its content in one step (temp file, then a hard link that fails if the name is taken), so two
 * writers never both write it, nor append before it.
 *
 * @param target - the file
 * @param text - whole lines, each ending in `\n`
 * @param header - the first line of a new file, if any
 * @throws what fs throws
 */
export async function appendText(target: string, text: string, header: string | undefined): Promise<void> {
  if (header !== undefined) await createWithHeader(target, header);
  const file = await open(target, "a");
  try {
    await file.write(text);
    await file.sync();
  } finally {
    await file.close();
  }
}

async function createWithHeader(target: string, header: string): Promise<void> {
  const existing = await open(target, "r").catch((error: unknown) => {
    if ((error as { code?: unknown }).code === "ENOENT") return undefined;
    throw error;
  });
  if (existing) {
    await existing.close();
    return;
  }
  const temp = tempPath(target);
  try {
    const file = await open(temp, "wx");
    try {
      await file.write(header);
      await file.sync();
    } finally {
      await file.close();
    }
    await link(temp, target).catch((error: unknown) => {
      // Another writer created it first, with the same header.
      if ((error as { code?: unknown }).code !== "EEXIST") throw error;
    });
  } finally {
    await unlink(temp).catch(() => {});
  }
}

function tempPath(target: string): string {
  // Hidden, so file-in and other watchers skip it while it is being written.
  return join(dirname(target), `.${basename(target)}.${randomUUID()}.tmp`);
}

async function syncDirectory(directory: string): Promise<void> {
  // Makes the rename itself durable; some platforms cannot open a directory, which is fine.
  const handle = await open(directory, "r").catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Not supported on this filesystem: the rename is still atomic, only its durability is weaker.
  } finally {
    await handle.close();
  }
}
