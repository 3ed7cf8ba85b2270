import { fileURLToPath } from "node:url";
import { ConfigError } from "@vrsky/sdk";
import { describe, expect, it } from "vitest";
import { builtins, dbOut, jsonMap } from "./__fixtures__/test-connectors.js";
import { createConnectorResolver } from "./connector-resolver.js";

const baseDir = fileURLToPath(new URL("__fixtures__/", import.meta.url));

describe("createConnectorResolver", () => {
  it("returns a built-in by name, from a list or a record", async () => {
    await expect(createConnectorResolver({ builtins, baseDir })("db-out")).resolves.toBe(dbOut);
    await expect(createConnectorResolver({ builtins: { map: jsonMap }, baseDir })("map")).resolves.toBe(
      jsonMap,
    );
  });

  it("imports a TypeScript connector by a path relative to the spec's directory", async () => {
    const connector = await createConnectorResolver({ builtins, baseDir })("./connectors/shout.ts");
    expect(connector).toMatchObject({ kind: "converter", name: "shout" });
    expect(connector.config.parse({})).toEqual({ suffix: "!" });
  });

  it("rejects an unknown name, listing the built-ins and suggesting the closest", async () => {
    const error = await createConnectorResolver({ builtins, baseDir })("json-mapp").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]?.message).toMatch(
      /unknown connector "json-mapp" \(did you mean "json-map"\?\): the built-in connectors are amount-router, chat-out, db-out, json-map, webhook-in/,
    );
  });

  it("reports a missing local module with the resolved path", async () => {
    await expect(createConnectorResolver({ builtins, baseDir })("./connectors/nope.ts")).rejects.toThrow(
      /cannot load connector module "\.\/connectors\/nope\.ts" \(resolved to .*connectors\/nope\.ts\)/,
    );
  });

  it("imports npm packages from the spec's node_modules and checks they export a connector", async () => {
    await expect(createConnectorResolver({ builtins, baseDir })("zod")).rejects.toThrow(
      'package "zod" exports no connector',
    );
  });
});
