import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineFilter, type FilterDecision } from "../connector.js";
import { FatalError } from "../errors.js";
import { runFilter } from "./run-filter.js";

const decideBy = (routes?: readonly string[]) =>
  defineFilter({
    name: "by-body",
    version: "1.0.0",
    description: "Decides by the JSON body.",
    config: z.object({}),
    ...(routes ? { routes } : {}),
    async filter(msg) {
      return (await msg.json()) as FilterDecision;
    },
  });

describe("runFilter", () => {
  it("normalises booleans, names and lists of names", async () => {
    const filter = decideBy(["a", "b"]);
    expect(await runFilter(filter, {}, { json: false })).toEqual({ pass: false, routes: [] });
    expect(await runFilter(filter, {}, { json: true })).toEqual({ pass: true, routes: [] });
    expect(await runFilter(filter, {}, { json: "a" })).toEqual({ pass: true, routes: ["a"] });
    expect(await runFilter(filter, {}, { json: ["b", "a", "b"] })).toEqual({
      pass: true,
      routes: ["b", "a"],
    });
    expect(await runFilter(filter, {}, { json: [] })).toEqual({ pass: false, routes: [] });
  });

  it("throws a FatalError naming an undeclared route and the declared ones", async () => {
    const error = await runFilter(decideBy(["a", "b"]), {}, { json: ["a", "c"] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalError);
    expect((error as Error).message).toBe(
      'filter "by-body" returned undeclared route "c"; it declares routes ["a", "b"]: add the route to `routes` (or `routesFromConfig`) in defineFilter or return a declared one',
    );
  });

  it("checks routes against those the filter derives from its config", async () => {
    const configured = defineFilter({
      name: "configured",
      version: "1.0.0",
      description: "Routes to configured names.",
      config: z.object({ names: z.array(z.string()) }),
      routesFromConfig: (config) => config.names,
      async filter(msg) {
        return (await msg.json()) as FilterDecision;
      },
    });
    expect(await runFilter(configured, { names: ["x"] }, { json: "x" })).toEqual({
      pass: true,
      routes: ["x"],
    });
    await expect(runFilter(configured, { names: ["x"] }, { json: "y" })).rejects.toThrow(
      /undeclared route "y"; it declares routes \["x"\]/,
    );
  });

  it("allows any route name when the filter declares none", async () => {
    expect(await runFilter(decideBy(), {}, { json: "anything" })).toEqual({
      pass: true,
      routes: ["anything"],
    });
  });

  it("rejects a decision that is not a boolean or route names", async () => {
    await expect(runFilter(decideBy(), {}, { json: 3 })).rejects.toThrow(
      /returned number: return true, false/,
    );
    await expect(runFilter(decideBy(), {}, { json: [1] })).rejects.toThrow(FatalError);
  });
});
