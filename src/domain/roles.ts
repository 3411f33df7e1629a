export const ROLES = ['owner', 'admin', 'clinician', 'supervisor', 'biller', 'scheduler', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** True when any of the user's roles is in the given list. */
export function hasAnyRole(roles: readonly Role[], wanted: readonly Role[]): boolean {
  return roles.some((r) => wanted.includes(r));
}

/** Clinicians and supervisors: the roles that can be on a care team and hold clinical access. */
export function isClinical(roles: readonly Role[]): boolean {
  return hasAnyRole(roles, ['clinician', 'supervisor']);
}
