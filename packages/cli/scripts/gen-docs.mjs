#!/usr/bin/env node
// Writes docs/cli.md from the oclif commands of the built CLI (run `npx tsup` first; `npm run
// docs -w @vrsky/cli` does both). With --check it only compares, and exits 1 when the file is
// out of date.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Config } from "@oclif/core";
import { formatMarkdown, renderCommandReference } from "../dist/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const target = fileURLToPath(new URL("../../../docs/cli.md", import.meta.url));
const text = formatMarkdown(renderCommandReference(await Config.load({ root })), target);

if (process.argv.includes("--check")) {
  const current = await readFile(target, "utf8").catch(() => "");
  if (current !== text) {
    console.error(`${target} is out of date: run \`npm run docs -w @vrsky/cli\``);
    process.exitCode = 1;
  }
} else {
  await writeFile(target, text);
  console.log(`wrote ${target}`);
}
