import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import { fromSeed, type KeyPair } from "@nats-io/nkeys";

// An Ed25519 private key in PKCS#8 DER is this fixed header followed by the 32-byte seed.
const PKCS8_ED25519_HEADER = Buffer.from("302e020100300506032b657004220420", "hex");
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/** nkeys' prefix byte of an encoded private key ('P…'). */
const PRIVATE_PREFIX = 15 << 3;
const encoder = new TextEncoder();

/**
 * An nkeys `KeyPair` that does its Ed25519 work with Node's native crypto.
 *
 * `@nats-io/nkeys` re-derives the key pair in pure JavaScript (tweetnacl) on every
 * `getPublicKey()`, `getPrivateKey()` and `sign()`, about 3 ms each, and `@nats-io/jwt` calls
 * them several times per JWT: signing one account or user JWT cost 20-45 ms, most of a
 * provisioning. Here each is well under 0.1 ms. Keys and signatures are byte-for-byte those of
 * nkeys (Ed25519 is deterministic; the tests compare both).
 *
 * @param seed - an nkeys seed (`S…`), as text or bytes; validated by nkeys
 * @param publicKey - the matching public key when already known
 * @returns a key pair usable wherever nkeys and jwt take one
 * @throws NKeysError when `seed` is not a valid nkeys seed
 */
export function nativeKeyPair(seed: string | Uint8Array, publicKey?: string): KeyPair {
  const encoded = typeof seed === "string" ? encoder.encode(seed) : Uint8Array.from(seed);
  const nkeysPair = fromSeed(encoded);
  const decoded = base32Decode(encoded);
  // Seed prefix: 5 bits "seed" marker, then the 8-bit role (operator, account, user…).
  const [b0 = 0, b1 = 0] = decoded;
  const role = ((b0 & 0x07) << 5) | ((b1 & 0xf8) >> 3);
  const raw = decoded.subarray(2, 34);
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_HEADER, raw]),
    format: "der",
    type: "pkcs8",
  });
  const publicKeyObject = createPublicKey(privateKey);
  // The raw public key is the last 32 bytes of its SPKI DER form.
  const rawPublic = publicKeyObject.export({ format: "der", type: "spki" }).subarray(-32);
  const encodedPublic = publicKey ?? new TextDecoder().decode(encodeKey(role, rawPublic));
  return {
    getPublicKey: () => encodedPublic,
    getPrivateKey: () => encodeKey(PRIVATE_PREFIX, Buffer.concat([raw, rawPublic])),
    getSeed: () => nkeysPair.getSeed(),
    sign: (input) => new Uint8Array(sign(null, input, privateKey)),
    verify: (input, signature) => verify(null, input, publicKeyObject, signature),
    clear: () => nkeysPair.clear(),
    seal: (input, recipient, nonce) => nkeysPair.seal(input, recipient, nonce),
    open: (message, sender) => nkeysPair.open(message, sender),
  };
}

/** nkeys encoding: prefix byte, payload, CRC-16/XMODEM (little endian), in unpadded base32. */
function encodeKey(prefix: number, payload: Uint8Array): Uint8Array {
  const body = Buffer.concat([Buffer.from([prefix]), payload]);
  const crc = crc16(body);
  return encoder.encode(base32Encode(Buffer.concat([body, Buffer.from([crc & 0xff, crc >> 8])])));
}

function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

function base32Encode(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(buffer >> bits) & 31];
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

function base32Decode(encoded: Uint8Array): Buffer {
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const code of encoded) {
    const value = BASE32.indexOf(String.fromCharCode(code));
    if (value === -1) throw new Error("nkeys: invalid encoded key");
    // Only the low 12 bits are ever pending (at most 7 left over plus 5 new).
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}
