import { describe, expect, it } from 'vitest';
import { passwordProblem } from './passwordPolicy.js';

const common = new Set(['password', 'qwerty', 'iloveyou', 'password1234']);

describe('passwordProblem', () => {
  it('refuses passwords shorter than 12 characters', () => {
    expect(passwordProblem('Sh0rt!pass', common)).toMatch(/at least 12/);
    expect(passwordProblem('a'.repeat(11) + 'b', common)).not.toMatch(/at least 12/);
  });
  it('refuses common passwords, also when padded with digits or symbols', () => {
    expect(passwordProblem('password1234', common)).toMatch(/too common/);
    expect(passwordProblem('iloveyou2024!!', common)).toMatch(/too common/);
    expect(passwordProblem('!!!Password12345', common)).toMatch(/too common/);
  });
  it('refuses keyboard and alphabet sequences and repeated characters', () => {
    expect(passwordProblem('abcdefghijklmn', common)).toMatch(/too common/);
    expect(passwordProblem('ababababababab', common)).toMatch(/repeats/);
  });
  it('refuses passwords containing the user name or email', () => {
    expect(passwordProblem('maria-secure-horse', common, ['maria.lopez@example.org'])).toMatch(
      /name or email/,
    );
  });
  it('accepts a long passphrase', () => {
    expect(passwordProblem('violet tractor lantern 42', common, ['dana@example.org'])).toBeNull();
  });
});
