import { describe, expect, it } from "vitest";
import { FatalError } from "../errors.js";
import { MemoryStateStore } from "./memory-state-store.js";

describe("MemoryStateStore", () => {
  it("stores copies, so mutating a value after set or get changes nothing", async () => {
    const state = new MemoryStateStore({ seed: 1 });
    const value = { cursor: [1, 2] };
    await state.set("k", value);
    value.cursor.push(3);
    const read = (await state.get("k")) as { cursor: number[] };
    read.cursor.push(4);
    expect(await state.get("k")).toEqual({ cursor: [1, 2] });
    expect(state.snapshot()).toEqual({ seed: 1, k: { cursor: [1, 2] } });
  });

  it("deletes keys and treats a missing key as undefined", async () => {
    const state = new MemoryStateStore({ a: 1 });
    await state.delete("a");
    await state.delete("never-set");
    expect(await state.get("a")).toBeUndefined();
    expect(state.snapshot()).toEqual({});
  });

  it("rejects values that are not JSON-serialisable, naming the key", async () => {
    await expect(new MemoryStateStore().set("k", undefined)).rejects.toThrow(
      /key "k" is not JSON-serialisable/,
    );
    await expect(new MemoryStateStore().set("big", 1n)).rejects.toThrow(FatalError);
  });
});
