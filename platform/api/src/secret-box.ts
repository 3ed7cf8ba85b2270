import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals tenant secrets for storage with AES-256-GCM. Each value is bound to its tenant and name
 * (as additional authenticated data), so a sealed value copied to another tenant's row, or
 * under another name, does not open. The key stays in the platform's process; the database
 * holds only `iv ‖ tag ‖ ciphertext`.
 *
 * @example
 * ```ts
 * const box = new SecretBox(randomBytes(32));
 * const sealed = box.seal(tenantId, "slack-token", "xoxb-…");
 * box.open(tenantId, "slack-token", sealed); // "xoxb-…"
 * ```
 */
export class SecretBox {
  readonly #key: Buffer;

  /**
   * @param key - 32 bytes
   * @throws RangeError when the key is not 32 bytes long
   */
  constructor(key: Uint8Array) {
    if (key.length !== 32) {
      throw new RangeError(
        `the secrets key must be 32 bytes, got ${key.length}; generate one with \`openssl rand -base64 32\``,
      );
    }
    this.#key = Buffer.from(key);
  }

  /**
   * @param tenantId - whose secret it is
   * @param name - the secret's name
   * @param value - the secret
   * @returns the sealed value
   */
  seal(tenantId: string, name: string, value: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    cipher.setAAD(Buffer.from(`${tenantId}/${name}`));
    const ciphertext = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
  }

  /**
   * @param tenantId - whose secret it is
   * @param name - the secret's name
   * @param sealed - what {@link SecretBox.seal} returned
   * @returns the secret
   * @throws Error when the value was sealed with another key, for another tenant or name, or changed
   */
  open(tenantId: string, name: string, sealed: Uint8Array): string {
    const bytes = Buffer.from(sealed);
    const decipher = createDecipheriv("aes-256-gcm", this.#key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(`${tenantId}/${name}`));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString("utf8");
    } catch {
      throw new Error(
        `secret "${name}" does not open with this platform's secrets key (it was sealed with another key, or changed); set it again`,
      );
    }
  }
}
