import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The practice key is derived from the master key with HKDF, salted by the practice id, so
 * one master key serves many practices and no practice key is ever stored.
 */
export class KeyRing {
  readonly #master: Buffer;
  readonly #cache = new Map<string, Buffer>();
  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32)
      throw new Error('The master key must be 32 bytes (base64 of 32 random bytes)');
    this.#master = masterKey;
  }
  practiceKey(practiceId: string): Buffer {
    let key = this.#cache.get(practiceId);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.#master, practiceId, 'casebook practice key v1', 32));
      this.#cache.set(practiceId, key);
    }
    return key;
  }
  /** The key for blind-index search tokens: separate from the encryption keys by HKDF info. */
  searchKey(practiceId: string): Buffer {
    const id = `search:${practiceId}`;
    let key = this.#cache.get(id);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.#master, practiceId, 'casebook search key v1', 32));
      this.#cache.set(id, key);
    }
    return key;
  }
}

/** AES-256-GCM; blob = version | iv | tag | ciphertext; the AAD binds it to its place. */
export function seal(key: Buffer, aad: string, plaintext: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ct]);
}

/** Throws when the blob was altered or moved to another row or field. */
export function open(key: Buffer, aad: string, blob: Buffer): Buffer {
  if (blob.length < 1 + IV_BYTES + TAG_BYTES || blob[0] !== VERSION)
    throw new Error('Unknown ciphertext format');
  const iv = blob.subarray(1, 1 + IV_BYTES);
  const tag = blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
}

export function newDataKey(): Buffer {
  return randomBytes(32);
}

export function wrapDataKey(practiceKey: Buffer, clientId: string, dataKey: Buffer): Buffer {
  return seal(practiceKey, `client_keys:${clientId}`, dataKey);
}

export function unwrapDataKey(practiceKey: Buffer, clientId: string, wrapped: Buffer): Buffer {
  return open(practiceKey, `client_keys:${clientId}`, wrapped);
}

/** Encrypts one narrative field; table, row id and field name are the associated data. */
export function encryptField(
  dataKey: Buffer,
  table: string,
  rowId: string,
  field: string,
  text: string,
): Buffer {
  return seal(dataKey, `${table}:${rowId}:${field}`, Buffer.from(text, 'utf8'));
}

export function decryptField(
  dataKey: Buffer,
  table: string,
  rowId: string,
  field: string,
  blob: Buffer,
): string {
  return open(dataKey, `${table}:${rowId}:${field}`, blob).toString('utf8');
}
