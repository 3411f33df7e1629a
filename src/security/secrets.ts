import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random bearer secret for cookies, links and API tokens (256 bits, URL-safe). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Bearer secrets are stored only as their SHA-256: a database read yields nothing usable. */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
