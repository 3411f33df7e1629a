import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

const PERIOD = 30;

function totpFor(secretBase32: string, label = '', issuer = 'Casebook'): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export async function totpEnrolment(secretBase32: string, label: string, issuer: string) {
  const uri = totpFor(secretBase32, label, issuer).toString();
  return {
    secret: secretBase32,
    otpauthUri: uri,
    qrCodeDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }),
  };
}

/**
 * Returns the time step of a valid code (±1 step of drift) or null. The caller refuses a
 * step not greater than the last one used, so a code cannot be replayed.
 */
export function totpStep(secretBase32: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32).validate({ token: code, timestamp: now, window: 1 });
  // validate() returns 0 for a current code, which is falsy: compare with null.
  return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta;
}

export function currentTotp(secretBase32: string, now = Date.now()): string {
  return totpFor(secretBase32).generate({ timestamp: now });
}
