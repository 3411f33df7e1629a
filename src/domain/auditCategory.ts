/** The kind of data an audit row is about (ASTM E2147 "data category"). */
export type AuditCategory =
  | 'authentication'
  | 'account'
  | 'mfa'
  | 'api_token'
  | 'user'
  | 'settings'
  | 'demographics'
  | 'background'
  | 'care_team'
  | 'break_glass'
  | 'audit'
  | 'practice'
  | 'session'
  | 'progress_note'
  | 'psychotherapy_note'
  | 'note_template'
  | 'calendar';
