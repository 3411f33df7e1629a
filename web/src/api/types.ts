/** Shapes of the Casebook API (see /api/openapi.json); Me and ClientRecord are checked against the server schemas in contract.test.ts. */

export const ROLES = ['owner', 'admin', 'clinician', 'supervisor', 'biller', 'scheduler', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
export type AuthStage = 'full' | 'mfa_challenge' | 'mfa_enrolment';
export type PracticeKind = 'clinical' | 'coaching';

export interface Me {
  user: {
    id: string;
    email: string;
    fullName: string;
    roles: Role[];
    credentials: string | null;
    licenseNumber: string | null;
    mfaEnabled: boolean;
  };
  practice: {
    id: string;
    name: string;
    kind: PracticeKind;
    timeZone: string;
    idleTimeoutMinutes: number;
    mfaRequired: boolean;
    privacyMode: boolean;
    adminsSeeAllClients: boolean;
  };
  session: {
    stage: AuthStage;
    idleExpiresAt: string;
    expiresAt: string;
    idleTimeoutSeconds: number;
    serverTime: string;
  };
  csrfToken: string;
}

export interface SetupInput {
  practiceName: string;
  timeZone: string;
  kind: PracticeKind;
  owner: {
    email: string;
    fullName: string;
    password: string;
    credentials?: string | null;
    alsoClinician: boolean;
  };
}

export interface MfaEnrolment {
  secret: string;
  otpauthUri: string;
  qrCodeDataUrl: string;
}

export interface StaffMember {
  id: string;
  email: string;
  fullName: string;
  roles: Role[];
  credentials: string | null;
  licenseNumber: string | null;
  supervisorId: string | null;
  active: boolean;
  mfaEnabled: boolean;
  hasPassword: boolean;
  lockedUntil: string | null;
  version: number;
}

export interface SetPasswordLink {
  url: string;
  expiresAt: string;
}

export interface NewStaffInput {
  email: string;
  fullName: string;
  roles: Role[];
  credentials?: string | null;
  licenseNumber?: string | null;
  supervisorId?: string | null;
}

export type StaffPatch = Partial<Omit<NewStaffInput, 'email'>> & { active?: boolean };

export interface PracticeSettings {
  id: string;
  name: string;
  timeZone: string;
  kind: PracticeKind;
  idleTimeoutMinutes: number;
  mfaRequired: boolean;
  privacyMode: boolean;
  adminsSeeAllClients: boolean;
  breakGlassMinutes: number;
  /** Hours after a session ends that its note is due (1–336). */
  noteDueHours: number;
  /** Hours before the deadline that the clinician is reminded (0 = no reminder). */
  noteReminderHours: number;
  /** Place-of-service code for in-person sessions, e.g. '11' (office). */
  officePlaceOfService: string;
  /** Days from signing a treatment plan to its review (7–365, default 90). */
  planReviewDays: number;
  version: number;
}
export type SettingsPatch = Partial<Omit<PracticeSettings, 'id' | 'version'>>;

export interface BreakGlassGrant {
  id: string;
  clientId: string;
  clientCode: string;
  userId: string;
  userName: string;
  reason: string;
  createdAt: string;
  expiresAt: string;
  reviewedAt: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  scope: 'read' | 'read-write';
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export type ClientStatus = 'active' | 'inactive' | 'discharged';
export type Sex = 'female' | 'male' | 'intersex' | 'unknown';
export type PhoneKind = 'mobile' | 'home' | 'work' | 'other';

export interface Phone {
  kind: PhoneKind;
  number: string;
  mayLeaveMessage: boolean;
}

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
}

export interface ContactInput {
  name: string;
  relationship: string;
  phone?: string | null;
  email?: string | null;
  isEmergency: boolean;
  mayContact: boolean;
  notes?: string | null;
}

export interface Contact extends ContactInput {
  id: string;
  phone: string | null;
  email: string | null;
  notes: string | null;
}

export interface Demographics {
  legalFirstName: string;
  legalLastName: string;
  preferredName?: string | null;
  pronouns?: string | null;
  dateOfBirth: string;
  genderIdentity?: string | null;
  sex?: Sex | null;
  phones: Phone[];
  email?: string | null;
  address?: Address | null;
  preferredLanguage?: string | null;
  referralSource?: string | null;
  intakeDate?: string | null;
  contacts: ContactInput[];
}

export interface NewClientInput extends Demographics {
  primaryClinicianId?: string | null;
}

export interface ClientAccess {
  grounds: string;
  canEdit: boolean;
  canSeeBackground: boolean;
  canManageCareTeam: boolean;
  canChangeStatus: boolean;
}

export interface ClientRecord {
  id: string;
  clientCode: string;
  legalFirstName: string;
  legalLastName: string;
  preferredName: string | null;
  pronouns: string | null;
  dateOfBirth: string;
  genderIdentity: string | null;
  sex: Sex | null;
  phones: { kind: string; number: string; mayLeaveMessage: boolean }[];
  email: string | null;
  address: {
    line1: string;
    line2?: string | undefined;
    city: string;
    state: string;
    postalCode: string;
    country: string;
  } | null;
  preferredLanguage: string | null;
  referralSource: string | null;
  intakeDate: string | null;
  status: ClientStatus;
  statusReason: string | null;
  primaryClinicianId: string | null;
  contacts: Contact[];
  careTeam: { userId: string; fullName: string; credentials: string | null; isPrimary: boolean }[];
  access: ClientAccess;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ClientListItem {
  id: string;
  clientCode: string;
  displayName: string;
  legalName: string | null;
  dateOfBirth: string | null;
  status: ClientStatus;
  primaryClinicianName: string | null;
  phone: string | null;
}

export type ClientSort = 'name' | 'created' | 'code' | 'dob';
export type SortDirection = 'asc' | 'desc';

export interface ClientListQuery {
  search?: string;
  status?: ClientStatus;
  clinicianId?: string;
  sort: ClientSort;
  direction: SortDirection;
  cursor?: string;
  limit?: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const BACKGROUND_FIELDS = [
  'presenting_concerns',
  'medical_history',
  'medications',
  'allergies',
  'prior_therapy',
  'psychiatric_history',
  'family_social_history',
  'substance_use',
] as const;
export type BackgroundField = (typeof BACKGROUND_FIELDS)[number];
export type Background = Record<BackgroundField, string> & {
  updatedAt: string;
  updatedBy: string | null;
  version: number;
};

export type AuditSort = 'time' | 'user' | 'action' | 'category' | 'outcome' | 'client';
export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditFilters {
  from?: string;
  to?: string;
  userId?: string;
  clientId?: string;
  action?: string;
  category?: string;
  outcome?: AuditOutcome;
  sort: AuditSort;
  direction: SortDirection;
}

export interface AuditEvent {
  id: string;
  seq: number;
  occurredAt: string;
  actorUserId: string | null;
  actorTokenId: string | null;
  actor: string | null;
  action: string;
  category: string;
  clientId: string | null;
  clientCode: string | null;
  entityType: string | null;
  entityId: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export interface AuditVerifyResult {
  ok: boolean;
  rowsChecked: number;
  firstBadSeq: number | null;
  firstBadId: string | null;
  problem: string | null;
}
