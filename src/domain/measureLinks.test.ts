import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { linkExpiry, linkStatus, looksLikeLinkToken, LINK_EXPIRY_MAX_HOURS } from './measureLinks.js';

const now = new Date('2026-11-27T12:00:00Z');
const later = new Date('2026-11-28T12:00:00Z');

describe('linkStatus', () => {
  it('is open before it expires and expired from the exact expiry instant on', () => {
    expect(linkStatus({ expiresAt: later, usedAt: null, revokedAt: null }, now)).toBe('open');
    expect(linkStatus({ expiresAt: later, usedAt: null, revokedAt: null }, later)).toBe('expired');
    expect(
      linkStatus({ expiresAt: later, usedAt: null, revokedAt: null }, new Date(later.getTime() - 1)),
    ).toBe('open');
  });

  it('used and revoked are final, whatever the clock says', () => {
    expect(linkStatus({ expiresAt: later, usedAt: now, revokedAt: null }, now)).toBe('used');
    expect(linkStatus({ expiresAt: now, usedAt: now, revokedAt: null }, later)).toBe('used');
    expect(linkStatus({ expiresAt: later, usedAt: null, revokedAt: now }, now)).toBe('revoked');
    expect(linkStatus({ expiresAt: now, usedAt: null, revokedAt: now }, later)).toBe('revoked');
  });
});

describe('linkExpiry', () => {
  it('adds whole hours; the maximum is 14 days', () => {
    expect(linkExpiry(now, 72).toISOString()).toBe('2026-11-30T12:00:00.000Z');
    expect(linkExpiry(now, LINK_EXPIRY_MAX_HOURS).toISOString()).toBe('2026-12-11T12:00:00.000Z');
  });
});

describe('looksLikeLinkToken', () => {
  it('accepts 32 random bytes in base64url and nothing else', () => {
    expect(looksLikeLinkToken(randomBytes(32).toString('base64url'))).toBe(true);
    expect(looksLikeLinkToken('')).toBe(false);
    expect(looksLikeLinkToken('a'.repeat(42))).toBe(false);
    expect(looksLikeLinkToken('a'.repeat(44))).toBe(false);
    expect(looksLikeLinkToken(`${'a'.repeat(42)}=`)).toBe(false);
    expect(looksLikeLinkToken(`${'a'.repeat(42)}/`)).toBe(false);
  });
});
