import { mkdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { inspect } from "node:util";
import {
  type Account,
  encodeAccount,
  encodeGeneric,
  encodeOperator,
  encodeUser,
  type OperatorLimits,
} from "@nats-io/jwt";
import {
  createAccount,
  createOperator as createOperatorKey,
  createUser,
  fromSeed,
  type KeyPair,
} from "@nats-io/nkeys";
import { z } from "zod";
import { formatCreds } from "./creds.js";
import { nativeKeyPair } from "./native-key-pair.js";
import { ProvisionerError } from "./provisioner-error.js";
import { writeSecretFile } from "./secret-file.js";

/** The file in an operator directory that holds the operator's seeds and JWTs (mode 0600). */
export const OPERATOR_FILE = "operator.json";
/** The system user's `.creds`, written beside {@link OPERATOR_FILE} for tools such as `nats`. */
export const SYSTEM_CREDS_FILE = "sys.creds";

const encoder = new TextEncoder();

/**
 * Core NATS limits with nothing capped. nats-server reads a limit missing from an account JWT as
 * 0, so an account whose JWT omits them accepts no connection ("maximum account active
 * connections exceeded"); every account JWT must spell them out.
 */
export const UNLIMITED_NATS_LIMITS = {
  subs: -1,
  data: -1,
  payload: -1,
  imports: -1,
  exports: -1,
  wildcards: true,
  conn: -1,
  leaf: -1,
} as const satisfies OperatorLimits;
const decoder = new TextDecoder();

const OperatorFile = z.object({
  version: z.literal(1),
  name: z.string().min(1),
  operatorSeed: z.string().startsWith("SO"),
  signingKeySeed: z.string().startsWith("SO"),
  systemAccountSeed: z.string().startsWith("SA"),
  systemUserSeed: z.string().startsWith("SU"),
  operatorJwt: z.string().min(1),
  systemAccountJwt: z.string().min(1),
  systemUserJwt: z.string().min(1),
});
type OperatorFile = z.infer<typeof OperatorFile>;

/**
 * The operator identity of a VRSky deployment: the operator key (trust root), an operator signing
 * key that signs every tenant account, and the SYSTEM account with one user, through which the
 * provisioner pushes and deletes account JWTs. Everything nats-server needs to run in operator mode.
 *
 * Seeds stay inside this object: `JSON.stringify` and `console.log` show public keys only. Create
 * one with {@link createOperator} or {@link loadOperator}.
 */
export class OperatorKeys {
  readonly #file: OperatorFile;
  readonly #operator: KeyPair;
  readonly #signingKey: KeyPair;
  readonly #systemAccount: KeyPair;

  private constructor(file: OperatorFile) {
    this.#file = file;
    this.#operator = nativeKeyPair(file.operatorSeed);
    this.#signingKey = nativeKeyPair(file.signingKeySeed);
    this.#systemAccount = nativeKeyPair(file.systemAccountSeed);
  }

  /** @internal Builds keys from a parsed operator file; use {@link createOperator}. */
  static fromFile(file: unknown, where: string): OperatorKeys {
    const parsed = OperatorFile.safeParse(file);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join(".") || "(root)").join(", ");
      throw new ProvisionerError(
        "OPERATOR_KEYS_INVALID",
        `${where} is not a VRSky operator file (bad fields: ${fields}); restore it from backup or point to another directory`,
      );
    }
    return new OperatorKeys(parsed.data);
  }

  /** @internal Generates a new operator, signing key, system account and system user. */
  static async generate(name: string): Promise<OperatorKeys> {
    const operator = nativeKeyPair(createOperatorKey().getSeed());
    const signingKey = nativeKeyPair(createOperatorKey().getSeed());
    const system = nativeKeyPair(createAccount().getSeed());
    const systemUser = nativeKeyPair(createUser().getSeed());
    const operatorJwt = await encodeOperator(name, operator, {
      signing_keys: [signingKey.getPublicKey()],
      system_account: system.getPublicKey(),
    });
    // The system account is signed by the signing key like every other account, so rotating the
    // operator identity key never requires re-issuing it.
    const systemAccountJwt = await encodeAccount(
      "SYS",
      system,
      { limits: UNLIMITED_NATS_LIMITS },
      { signer: signingKey },
    );
    const systemUserJwt = await encodeUser("sys", systemUser, system);
    return new OperatorKeys({
      version: 1,
      name,
      operatorSeed: decoder.decode(operator.getSeed()),
      signingKeySeed: decoder.decode(signingKey.getSeed()),
      systemAccountSeed: decoder.decode(system.getSeed()),
      systemUserSeed: decoder.decode(systemUser.getSeed()),
      operatorJwt,
      systemAccountJwt,
      systemUserJwt,
    });
  }

  /** The operator name, e.g. `vrsky`. */
  get name(): string {
    return this.#file.name;
  }

  /** The operator public key (`O…`), the trust root nats-server is configured with. */
  get publicKey(): string {
    return this.#operator.getPublicKey();
  }

  /** The operator signing key's public key (`O…`), the issuer of every account JWT. */
  get signingPublicKey(): string {
    return this.#signingKey.getPublicKey();
  }

  /** The operator JWT (public): goes into the nats-server config as `operator`. */
  get operatorJwt(): string {
    return this.#file.operatorJwt;
  }

  /** The system account's public key (`A…`): the config's `system_account`. */
  get systemAccountPublicKey(): string {
    return this.#systemAccount.getPublicKey();
  }

  /** The system account JWT (public): preloaded into the resolver so the server trusts it at boot. */
  get systemAccountJwt(): string {
    return this.#file.systemAccountJwt;
  }

  /** The system user's `.creds` text. A secret: it may update and delete every account. */
  get systemCreds(): string {
    return formatCreds(this.#file.systemUserJwt, fromSeed(encoder.encode(this.#file.systemUserSeed)));
  }

  /**
   * Signs an account JWT with the operator signing key.
   *
   * @param name - the account name (VRSky uses the tenant id)
   * @param accountPublicKey - the account's public key (`A…`)
   * @param claims - limits, signing keys, revocations
   * @returns the account JWT
   */
  async encodeAccount(name: string, accountPublicKey: string, claims: Partial<Account>): Promise<string> {
    return encodeAccount(name, accountPublicKey, claims, { signer: this.#signingKey });
  }

  /**
   * Signs the request nats-server's full resolver expects on `$SYS.REQ.CLAIMS.DELETE`: a generic
   * claim, self-signed by a trusted operator key, listing the accounts to delete under `accounts`.
   *
   * @param accountPublicKeys - the accounts to delete (`A…`)
   * @returns the signed request JWT
   */
  async encodeDeleteRequest(accountPublicKeys: readonly string[]): Promise<string> {
    return encodeGeneric("delete accounts", this.#signingKey, "generic", {
      accounts: [...accountPublicKeys],
    });
  }

  /**
   * Writes the operator to `dir` ({@link OPERATOR_FILE} and {@link SYSTEM_CREDS_FILE}, mode 0600;
   * the directory 0700). Files are replaced atomically.
   *
   * @param dir - the directory, created when missing
   */
  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeSecretFile(join(dir, OPERATOR_FILE), `${JSON.stringify(this.#file, null, 2)}\n`);
    await writeSecretFile(join(dir, SYSTEM_CREDS_FILE), this.systemCreds);
  }

  /** Public keys only: seeds never reach JSON. */
  toJSON(): { name: string; publicKey: string; signingPublicKey: string; systemAccountPublicKey: string } {
    return {
      name: this.name,
      publicKey: this.publicKey,
      signingPublicKey: this.signingPublicKey,
      systemAccountPublicKey: this.systemAccountPublicKey,
    };
  }

  /** Public keys only: seeds never reach logs. */
  [inspect.custom](): string {
    return `OperatorKeys ${JSON.stringify(this.toJSON())}`;
  }
}

/** Options of {@link createOperator}. */
export interface CreateOperatorOptions {
  /** The operator name written into its JWT. @default "vrsky" */
  name?: string;
  /**
   * A directory to keep the operator in. When it already holds an operator, that one is loaded
   * (so restarts keep the same trust root); otherwise a new one is generated and saved there.
   * @default none: the operator lives in memory only
   */
  dir?: string;
}

/**
 * Generates an operator (or loads the one saved in `dir`): operator key, signing key, SYSTEM
 * account and system user.
 *
 * @param options - name and directory
 * @returns the operator keys
 * @throws ProvisionerError `OPERATOR_KEYS_INVALID` when `dir` holds a corrupt or world-readable operator file
 * @example
 * ```ts
 * const operator = await createOperator({ dir: "/var/lib/vrsky/operator" });
 * await writeFile("nats.conf", natsServerConfig({ operator, resolverDir: "/var/lib/nats/jwt" }));
 * ```
 */
export async function createOperator(options: CreateOperatorOptions = {}): Promise<OperatorKeys> {
  if (options.dir !== undefined && (await exists(join(options.dir, OPERATOR_FILE)))) {
    return loadOperator(options.dir);
  }
  const keys = await OperatorKeys.generate(options.name ?? "vrsky");
  if (options.dir !== undefined) await keys.save(options.dir);
  return keys;
}

/**
 * Loads an operator saved by {@link createOperator} or {@link OperatorKeys.save}.
 *
 * @param dir - the operator directory
 * @returns the operator keys
 * @throws ProvisionerError `OPERATOR_KEYS_INVALID` when the file is missing, readable by group or
 *   others (fix with `chmod 600`), or malformed
 */
export async function loadOperator(dir: string): Promise<OperatorKeys> {
  const file = join(dir, OPERATOR_FILE);
  let text: string;
  try {
    const mode = (await stat(file)).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new ProvisionerError(
        "OPERATOR_KEYS_INVALID",
        `${file} has mode ${mode.toString(8)} and holds seeds; run \`chmod 600 ${file}\``,
      );
    }
    text = await readFile(file, "utf8");
  } catch (error) {
    if (error instanceof ProvisionerError) throw error;
    throw new ProvisionerError(
      "OPERATOR_KEYS_INVALID",
      `cannot read the operator file ${file}; create one with createOperator({ dir })`,
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // No cause: JSON.parse errors quote the text around the fault, which holds seeds.
    throw new ProvisionerError("OPERATOR_KEYS_INVALID", `${file} is not JSON; restore it from backup`);
  }
  return OperatorKeys.fromFile(json, file);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
