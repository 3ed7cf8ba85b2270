import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_VRSKY_VERSION, renderTemplate } from "./render-template.js";
import { TEMPLATE_KINDS } from "./template-kind.js";

describe("renderTemplate", () => {
  let work = "";
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "vrsky-render-"));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it("fills every placeholder of every template", async () => {
    for (const kind of TEMPLATE_KINDS) {
      const { files, targetDir } = await renderTemplate(kind, { name: "order-total" }, join(work, kind));
      expect(files).toContain("package.json");
      for (const file of files) {
        const text = await readFile(join(targetDir, file), "utf8");
        // `{ { name } }` is what a formatter makes of an unquoted placeholder in YAML.
        expect(text, `${kind}/${file}`).not.toMatch(/\{\{\w+\}\}|\{ \{/);
      }
    }
  });

  it("writes a connector project that names the connector, the SDK version and a .gitignore", async () => {
    const target = join(work, "named");
    const { files } = await renderTemplate(
      "connector-filter",
      { name: "big-orders", sdkVersion: "^9.9.9" },
      target,
    );
    expect(files).toEqual(expect.arrayContaining([".gitignore", "src/index.ts", "vrsky.json"]));
    expect(files).not.toContain("_gitignore");
    const manifest = JSON.parse(await readFile(join(target, "package.json"), "utf8"));
    expect(manifest).toMatchObject({ name: "big-orders", dependencies: { "@vrsky/sdk": "^9.9.9" } });
    expect(await readFile(join(target, "src/index.ts"), "utf8")).toContain('name: "big-orders"');
    expect(DEFAULT_VRSKY_VERSION).toMatch(/^\^\d+\.\d+\.\d+/);
  });

  it("writes an integration spec named after the project", async () => {
    const target = join(work, "spec");
    await renderTemplate("integration", { name: "orders" }, target);
    const spec = await readFile(join(target, "integration.yaml"), "utf8");
    expect(spec).toMatch(/^name: "orders"$/m);
    expect(spec).toMatch(/^ {6}label: "orders"$/m);
  });

  it("rejects a name that is not kebab-case", async () => {
    await expect(renderTemplate("integration", { name: "Orders" }, join(work, "bad"))).rejects.toMatchObject({
      code: "INVALID_NAME",
    });
  });

  it("refuses to write into a directory that has files", async () => {
    const target = join(work, "taken");
    await renderTemplate("integration", { name: "taken" }, target);
    await writeFile(join(target, "notes.txt"), "mine");
    await expect(renderTemplate("integration", { name: "taken" }, target)).rejects.toMatchObject({
      code: "TARGET_NOT_EMPTY",
    });
  });
});
