#!/usr/bin/env node
// Writes oclif.manifest.json after each build (tsup's onSuccess). With it, oclif imports only
// the command being run; without it, every command (and all it imports) at every start.
import { rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Config } from "@oclif/core";

const root = fileURLToPath(new URL("..", import.meta.url));
const file = fileURLToPath(new URL("../oclif.manifest.json", import.meta.url));

// A stale manifest would hide new commands, so it is rebuilt from the commands themselves.
await rm(file, { force: true });
const config = await Config.load({ root });
await writeFile(file, `${JSON.stringify(config.rootPlugin.manifest, null, 2)}\n`);
