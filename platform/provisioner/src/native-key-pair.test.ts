import { createAccount, createOperator, createUser, fromPublic } from "@nats-io/nkeys";
import { describe, expect, it } from "vitest";
import { nativeKeyPair } from "./native-key-pair.js";

const data = new TextEncoder().encode("nonce-1234");

describe("nativeKeyPair", () => {
  it.each([
    ["operator", createOperator],
    ["account", createAccount],
    ["user", createUser],
  ])("derives the same keys and signatures as nkeys for an %s key", (_kind, create) => {
    const reference = create();
    const native = nativeKeyPair(reference.getSeed());
    expect(native.getPublicKey()).toBe(reference.getPublicKey());
    expect(native.getPrivateKey()).toEqual(reference.getPrivateKey());
    expect(native.getSeed()).toEqual(reference.getSeed());
    expect(native.sign(data)).toEqual(reference.sign(data));
    expect(fromPublic(reference.getPublicKey()).verify(data, native.sign(data))).toBe(true);
    expect(native.verify(data, reference.sign(data))).toBe(true);
    expect(native.verify(new TextEncoder().encode("other"), reference.sign(data))).toBe(false);
  });

  it("agrees with nkeys across many random keys", () => {
    for (let i = 0; i < 50; i++) {
      const reference = createUser();
      expect(nativeKeyPair(reference.getSeed()).getPublicKey()).toBe(reference.getPublicKey());
    }
  });

  it("takes the seed as text and trusts a given public key", () => {
    const reference = createAccount();
    const seed = new TextDecoder().decode(reference.getSeed());
    const native = nativeKeyPair(seed, reference.getPublicKey());
    expect(native.getPublicKey()).toBe(reference.getPublicKey());
    expect(native.sign(data)).toEqual(reference.sign(data));
  });

  it("rejects text that is not a seed", () => {
    expect(() => nativeKeyPair("SAnotaseed")).toThrow(/nkeys/);
  });
});
