import { runConverter } from "@vrsky/sdk/testing";
import { expect, it } from "vitest";
import shout from "./index.js";

it("upper-cases the body and appends the suffix", async () => {
  const [out] = await runConverter(shout, { suffix: "?" }, { body: "hi" });
  expect(await out?.text()).toBe("HI?");
});
