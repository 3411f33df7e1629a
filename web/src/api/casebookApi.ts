import { query, request } from './http.js';
import type {
  ApiToken,
  AuditEvent,
  AuditFilters,
  AuditVerifyResult,
  AuthStage,
  Background,
  BackgroundField,
  BreakGlassGrant,
  ClientListItem,
  ClientListQuery,
  ClientRecord,
  ClientStatus,
  Demographics,
  Me,
  MfaEnrolment,
  NewClientInput,
  NewStaffInput,
  Page,
  PracticeSettings,
  SetPasswordLink,
  SettingsPatch,
  SetupInput,
  StaffMember,
  StaffPatch,
} from './types.js';

/** Every call the web app makes, one function per route. */
export const api = {
  setupStatus: () => request<{ needsSetup: boolean }>('GET', '/api/v1/setup'),
  setup: (body: SetupInput) =>
    request<{ practiceId: string }>('POST', '/api/v1/setup', { body, handles401: true }),

  login: (email: string, password: string) =>
    request<{ stage: AuthStage; csrfToken: string }>('POST', '/api/v1/auth/login', {
      body: { email, password },
      handles401: true,
    }),
  me: () => request<Me>('GET', '/api/v1/auth/me', { passive: true, handles401: true }),
  mfaChallenge: (code: string) =>
    request<{ stage: AuthStage }>('POST', '/api/v1/auth/mfa', { body: { code }, handles401: true }),
  keepalive: () => request<{ idleExpiresAt: string; serverTime: string }>('POST', '/api/v1/auth/keepalive'),
  logout: () => request<{ ok: true }>('POST', '/api/v1/auth/logout', { handles401: true }),
  logoutEverywhere: () => request<{ sessionsEnded: number }>('POST', '/api/v1/auth/logout-everywhere'),
  startMfaEnrolment: () => request<MfaEnrolment>('POST', '/api/v1/auth/mfa/enrolment'),
  confirmMfaEnrolment: (code: string) =>
    request<{ recoveryCodes: string[] }>('POST', '/api/v1/auth/mfa/enrolment/confirm', { body: { code } }),
  disableMfa: (password: string) =>
    request<{ ok: true }>('POST', '/api/v1/auth/mfa/disable', { body: { password }, handles401: true }),
  setPassword: (token: string, password: string) =>
    request<{ ok: true }>('POST', '/api/v1/auth/set-password', {
      body: { token, password },
      handles401: true,
    }),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<{ ok: true }>('POST', '/api/v1/auth/password', { body: { currentPassword, newPassword } }),

  listStaff: () => request<{ items: StaffMember[] }>('GET', '/api/v1/users'),
  createStaff: (body: NewStaffInput) =>
    request<{ user: StaffMember; setPasswordLink: SetPasswordLink }>('POST', '/api/v1/users', { body }),
  updateStaff: (id: string, version: number, body: StaffPatch) =>
    request<StaffMember>('PATCH', `/api/v1/users/${id}`, { body, version }),
  newPasswordLink: (id: string) =>
    request<{ setPasswordLink: SetPasswordLink }>('POST', `/api/v1/users/${id}/password-link`),

  settings: () => request<PracticeSettings>('GET', '/api/v1/practice/settings'),
  updateSettings: (version: number, body: SettingsPatch) =>
    request<PracticeSettings>('PATCH', '/api/v1/practice/settings', { body, version }),
  breakGlassGrants: (unreviewed: boolean) =>
    request<{ items: BreakGlassGrant[] }>('GET', `/api/v1/break-glass${query({ unreviewed })}`),
  unreviewedBreakGlassCount: () =>
    request<{ count: number }>('GET', '/api/v1/break-glass/unreviewed-count', { passive: true }),
  reviewBreakGlass: (id: string) => request<BreakGlassGrant>('POST', `/api/v1/break-glass/${id}/review`),

  tokens: () => request<{ items: ApiToken[] }>('GET', '/api/v1/me/tokens'),
  createToken: (name: string, scope: ApiToken['scope']) =>
    request<{ token: ApiToken; secret: string }>('POST', '/api/v1/me/tokens', { body: { name, scope } }),
  revokeToken: (id: string) => request<{ ok: true }>('DELETE', `/api/v1/me/tokens/${id}`),

  // Search text (a name, a birth date, a phone number) goes in a POST body, never in a URL.
  listClients: ({ search, ...filters }: ClientListQuery, signal?: AbortSignal) =>
    search
      ? request<Page<ClientListItem> & { privacyMode: boolean }>('POST', '/api/v1/clients/search', {
          body: { ...filters, search },
          ...(signal ? { signal } : {}),
        })
      : request<Page<ClientListItem> & { privacyMode: boolean }>(
          'GET',
          `/api/v1/clients${query({ ...filters })}`,
          signal ? { signal } : {},
        ),
  createClient: (body: NewClientInput) => request<ClientRecord>('POST', '/api/v1/clients', { body }),
  client: (id: string) => request<ClientRecord>('GET', `/api/v1/clients/${id}`),
  updateClient: (id: string, version: number, body: Partial<Demographics>) =>
    request<ClientRecord>('PATCH', `/api/v1/clients/${id}`, { body, version }),
  changeClientStatus: (id: string, version: number, status: ClientStatus, reason: string | null) =>
    request<ClientRecord>('POST', `/api/v1/clients/${id}/status`, { body: { status, reason }, version }),
  setCareTeam: (id: string, version: number, primaryClinicianId: string, memberIds: string[]) =>
    request<ClientRecord>('PUT', `/api/v1/clients/${id}/care-team`, {
      body: { primaryClinicianId, memberIds },
      version,
    }),
  background: (id: string) => request<Background>('GET', `/api/v1/clients/${id}/background`),
  updateBackground: (id: string, version: number, body: Partial<Record<BackgroundField, string>>) =>
    request<Background>('PATCH', `/api/v1/clients/${id}/background`, { body, version }),
  breakGlass: (id: string, reason: string) =>
    request<{ expiresAt: string }>('POST', `/api/v1/clients/${id}/break-glass`, { body: { reason } }),

  auditEvents: (f: AuditFilters, cursor?: string) =>
    request<Page<AuditEvent>>('GET', `/api/v1/audit/events${query({ ...f, cursor, limit: 50 })}`),
  auditCsvUrl: (f: AuditFilters) => `/api/v1/audit/events.csv${query({ ...f })}`,
  verifyAudit: () => request<AuditVerifyResult>('GET', '/api/v1/audit/verify'),
};

/** Passive session check whose 401 (idle time-out) signs the page out like any other request. */
export const sessionCheck = () => request<Me>('GET', '/api/v1/auth/me', { passive: true });
