export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/**
 * Returns why a password is refused, or null when acceptable. `common` holds lower-case
 * common passwords; a common password padded with digits or symbols is refused too.
 */
export function passwordProblem(
  password: string,
  common: ReadonlySet<string>,
  personal: readonly string[] = [],
): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (new Set(lower).size <= 2) return 'This password repeats too few characters.';
  const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/g, '');
  if (common.has(lower) || (core.length >= 4 && common.has(core)) || isSequence(lower)) {
    return 'This password is too common. Choose a phrase of several unrelated words.';
  }
  for (const p of personal) {
    const part = p.toLowerCase().split(/[@\s.]/)[0] ?? '';
    if (part.length >= 4 && lower.includes(part)) return 'Do not use your name or email in your password.';
  }
  return null;
}

function isSequence(s: string): boolean {
  const rows = ['abcdefghijklmnopqrstuvwxyz', '01234567890', 'qwertyuiopasdfghjklzxcvbnm'];
  return rows.some((r) => r.includes(s) || r.split('').reverse().join('').includes(s));
}
