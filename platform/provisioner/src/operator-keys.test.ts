import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { decode } from "@nats-io/jwt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOperator, loadOperator, OPERATOR_FILE, SYSTEM_CREDS_FILE } from "./operator-keys.js";

const SEED = /(?<![A-Z2-7])S[OAU][A-Z2-7]{50,}/;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vrsky-operator-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("createOperator", () => {
  it("issues an operator JWT naming the system account and trusting the signing key", async () => {
    const operator = await createOperator({ name: "test-op" });
    const claims = decode<{ system_account: string; signing_keys: string[] }>(operator.operatorJwt);
    expect(claims).toMatchObject({ name: "test-op", sub: operator.publicKey, iss: operator.publicKey });
    expect(claims.nats.system_account).toBe(operator.systemAccountPublicKey);
    expect(claims.nats.signing_keys).toEqual([operator.signingPublicKey]);
    expect(decode(operator.systemAccountJwt).iss).toBe(operator.signingPublicKey);
    expect(operator.systemCreds).toContain("-----BEGIN NATS USER JWT-----");
  });

  it("saves the operator with mode 0600 and loads the same one back", async () => {
    const created = await createOperator({ dir });
    expect((await stat(join(dir, OPERATOR_FILE))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, SYSTEM_CREDS_FILE))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await readFile(join(dir, SYSTEM_CREDS_FILE), "utf8")).toBe(created.systemCreds);

    const again = await createOperator({ dir });
    const loaded = await loadOperator(dir);
    for (const keys of [again, loaded]) {
      expect(keys.toJSON()).toEqual(created.toJSON());
      expect(keys.operatorJwt).toBe(created.operatorJwt);
    }
  });

  it("shows only public keys in JSON and in console output", async () => {
    const operator = await createOperator();
    expect(JSON.stringify(operator)).not.toMatch(SEED);
    expect(inspect(operator)).not.toMatch(SEED);
    expect(inspect(operator)).toContain(operator.publicKey);
  });
});

describe("loadOperator", () => {
  it("refuses an operator file readable by others, saying how to fix it", async () => {
    await createOperator({ dir });
    await chmod(join(dir, OPERATOR_FILE), 0o644);
    await expect(loadOperator(dir)).rejects.toMatchObject({
      code: "OPERATOR_KEYS_INVALID",
      message: expect.stringContaining("chmod 600"),
    });
  });

  it("reports a missing operator file", async () => {
    await expect(loadOperator(dir)).rejects.toMatchObject({
      code: "OPERATOR_KEYS_INVALID",
      message: expect.stringContaining("createOperator({ dir })"),
    });
  });

  it("reports a corrupt file by field, without quoting its seeds", async () => {
    await createOperator({ dir });
    const file = join(dir, OPERATOR_FILE);
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace('"version": 1', '"version": 2'), { mode: 0o600 });
    const mangled = await loadOperator(dir).catch((error: Error) => error);
    expect(mangled).toMatchObject({
      code: "OPERATOR_KEYS_INVALID",
      message: expect.stringContaining("version"),
    });

    await writeFile(file, text.slice(0, text.length / 2), { mode: 0o600 });
    const truncated = await loadOperator(dir).catch((error: Error) => error);
    expect(truncated).toMatchObject({ code: "OPERATOR_KEYS_INVALID" });
    for (const error of [mangled, truncated]) {
      expect(String(error)).not.toMatch(SEED);
      expect(inspect(error)).not.toMatch(SEED);
    }
  });
});
