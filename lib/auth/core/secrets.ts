// Password hashing, API token secrets and signed session cookie values (node:crypto, no I/O).
import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from "node:crypto";

const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, key] = stored.split("$");
  if (alg !== "scrypt" || !salt || !key) return false;
  const expected = Buffer.from(key, "base64url");
  const actual = await scryptAsync(password, Buffer.from(salt, "base64url"), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function scryptAsync(password: string, salt: Buffer, params = { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, SCRYPT.keyLength, { ...params, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export const TOKEN_PREFIX = "tg_";

/** A new API token secret: `tg_` + 32 random bytes, base64url. */
export function newTokenSecret(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
}

// Token secrets carry 256 bits of entropy, so a fast hash is enough and lets lookups use an index.
export function hashTokenSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** The first characters shown in the console to tell tokens apart. */
export function tokenDisplayPrefix(secret: string): string {
  return secret.slice(0, 10);
}

export function newSessionId(): string {
  return randomBytes(24).toString("base64url");
}

export function signValue(value: string, key: string): string {
  return `${value}.${createHmac("sha256", key).update(value).digest("base64url")}`;
}

/** Returns the value if its signature is valid, else null. */
export function unsignValue(signed: string, key: string): string | null {
  const dot = signed.lastIndexOf(".");
  if (dot <= 0) return null;
  const value = signed.slice(0, dot);
  const expected = Buffer.from(signValue(value, key).slice(dot + 1));
  const actual = Buffer.from(signed.slice(dot + 1));
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? value : null;
}

export function newPassword(): string {
  return randomBytes(18).toString("base64url");
}
