// Encrypts webhook signing secrets at rest: AES-256-GCM under a key derived (HKDF-SHA-256) from
// the server key, so a database dump alone does not reveal them.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";
const INFO = "tailguard webhook signing secrets v1";

function deriveKey(serverKey: string): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(serverKey, "utf8"), Buffer.alloc(0), INFO, 32));
}

/** `v1.<iv>.<tag>.<ciphertext>` in base64url; a fresh 96-bit IV each time. */
export function encryptSecret(plaintext: string, serverKey: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(serverKey), iv);
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
}

/** Throws when the ciphertext was altered or sealed under another server key. */
export function decryptSecret(sealed: string, serverKey: string): string {
  const [version, iv, tag, ct] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || ct === undefined) throw new Error("unknown webhook secret format");
  const decipher = createDecipheriv("aes-256-gcm", deriveKey(serverKey), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
}
