// Letters and digits that cannot be misread for one another (no 0/O, 1/I/L).
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A short pseudonymous client code such as "C-7KQ4M2", made from the given random bytes. */
export function clientCodeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 6) throw new Error('clientCodeFromBytes needs 6 random bytes');
  let code = '';
  for (let i = 0; i < 6; i++) code += ALPHABET[(bytes[i] ?? 0) % ALPHABET.length];
  return `C-${code}`;
}

export const CLIENT_CODE_PATTERN = /^C-[2-9A-HJKMNP-Z]{6}$/;
