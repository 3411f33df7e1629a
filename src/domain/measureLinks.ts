// Rules for one-time questionnaire links: how long one lives, what state it is in, what a token looks like.

export const LINK_EXPIRY_DEFAULT_HOURS = 72;
export const LINK_EXPIRY_MIN_HOURS = 1;
export const LINK_EXPIRY_MAX_HOURS = 14 * 24;

/** A token is 32 random bytes in base64url: exactly 43 characters of [A-Za-z0-9_-]. */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const LINK_STATUSES = ['open', 'used', 'expired', 'revoked'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

export interface LinkTimes {
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

/** The link's state at `now`: used and revoked are final; otherwise it is open until it expires. */
export function linkStatus(link: LinkTimes, now: Date): LinkStatus {
  if (link.usedAt) return 'used';
  if (link.revokedAt) return 'revoked';
  return now.getTime() < link.expiresAt.getTime() ? 'open' : 'expired';
}

/** When a link made at `now` for `hours` stops working. */
export function linkExpiry(now: Date, hours: number): Date {
  return new Date(now.getTime() + hours * 3_600_000);
}

/** Whether a string could be a link token at all (anything else is refused without a lookup). */
export function looksLikeLinkToken(token: string): boolean {
  return LINK_TOKEN_PATTERN.test(token);
}
