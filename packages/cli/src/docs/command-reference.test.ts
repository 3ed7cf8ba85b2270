import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Config } from "@oclif/core";
import { beforeAll, describe, expect, it } from "vitest";
import { renderCommandReference } from "./command-reference.js";
import { formatMarkdown } from "./format-markdown.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const docs = fileURLToPath(new URL("../../../../docs/cli.md", import.meta.url));

describe("docs/cli.md", () => {
  let config: Config;
  beforeAll(async () => {
    // The commands are those of the CLI built by the global setup.
    config = await Config.load({ root });
  });

  it("is generated from the current commands", async () => {
    const current = await readFile(docs, "utf8");
    expect(current, "docs/cli.md is out of date: run `npm run docs -w @vrsky/cli`").toBe(
      formatMarkdown(renderCommandReference(config), docs),
    );
  });

  it("shows examples for every command", () => {
    const without = config.commands
      .filter((c) => !c.hidden && (c.examples ?? []).length === 0)
      .map((c) => c.id);
    expect(without).toEqual([]);
  });
});
