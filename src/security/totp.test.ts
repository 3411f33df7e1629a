import { describe, expect, it } from 'vitest';
import { currentTotp, newTotpSecret, totpEnrolment, totpStep } from './totp.js';

describe('totp', () => {
  const secret = newTotpSecret();
  const now = 1_790_000_000_000;
  it('accepts the current code and one step of drift, returning its step', () => {
    expect(totpStep(secret, currentTotp(secret, now), now)).toBe(Math.floor(now / 30000));
    expect(totpStep(secret, currentTotp(secret, now - 30_000), now)).toBe(Math.floor(now / 30000) - 1);
  });
  it('refuses old, malformed and wrong codes', () => {
    expect(totpStep(secret, currentTotp(secret, now - 120_000), now)).toBeNull();
    expect(totpStep(secret, '12345', now)).toBeNull();
    expect(totpStep(secret, 'abcdef', now)).toBeNull();
    const code = currentTotp(secret, now);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(totpStep(secret, wrong, now)).toBeNull();
  });
  it('makes an otpauth URI and a QR code image', async () => {
    const e = await totpEnrolment(secret, 'dana@example.org', 'Casebook');
    expect(e.otpauthUri).toMatch(/^otpauth:\/\/totp\/Casebook:dana%40example.org\?/);
    expect(e.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
  });
});
