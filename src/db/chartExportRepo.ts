import type { Queryable } from './database.js';

// The reads behind a chart export (services/chartExport/loadChart.ts): one query per table for
// one client, each bounded by the export's date range where the table is dated. Nothing here
// decides what may be read; the loader asks only for what the export's scope covers.

/** Instants bounding the export's date range (practice-local days turned into UTC instants). */
export interface InstantRange {
  from: Date | null;
  /** Exclusive: the start of the day after the range's last day. */
  before: Date | null;
}

/** Practice-local dates bounding the range, inclusive. */
export interface DateRange {
  from: string | null;
  to: string | null;
}

export interface ContactExportRow {
  id: string;
  name: string;
  relationship: string;
  phone: string | null;
  email: string | null;
  is_emergency: boolean;
  may_contact: boolean;
  notes: string | null;
}

export async function contactsOf(tx: Queryable, clientId: string): Promise<ContactExportRow[]> {
  const r = await tx.query<ContactExportRow>(
    `SELECT id, name, relationship, phone, email, is_emergency, may_contact, notes
       FROM client_contacts WHERE client_id = $1 ORDER BY position`,
    [clientId],
  );
  return r.rows;
}

export async function careTeamIds(tx: Queryable, clientId: string): Promise<string[]> {
  const r = await tx.query<{ user_id: string }>(
    'SELECT user_id FROM care_team_members WHERE client_id = $1 ORDER BY added_at, user_id',
    [clientId],
  );
  return r.rows.map((x) => x.user_id);
}

export interface UserExportRow {
  id: string;
  full_name: string;
  credentials: string | null;
  license_number: string | null;
  roles: string[];
}

export async function usersByIds(tx: Queryable, ids: string[]): Promise<UserExportRow[]> {
  if (ids.length === 0) return [];
  const r = await tx.query<UserExportRow>(
    `SELECT id, full_name, credentials, license_number, roles FROM users WHERE id = ANY($1::uuid[])
      ORDER BY full_name, id`,
    [ids],
  );
  return r.rows;
}

export interface DiagnosisExportRow {
  id: string;
  code: string;
  description: string;
  rank: 'primary' | 'secondary';
  status: 'active' | 'resolved' | 'rule_out' | 'entered_in_error';
  onset_date: string | null;
  resolved_date: string | null;
  comment_enc: Buffer | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

export async function diagnosesOf(tx: Queryable, clientId: string): Promise<DiagnosisExportRow[]> {
  const r = await tx.query<DiagnosisExportRow>(
    `SELECT id, code, description, rank, status, onset_date::text, resolved_date::text, comment_enc,
            created_by, created_at, updated_at
       FROM client_diagnoses WHERE client_id = $1 ORDER BY created_at, id`,
    [clientId],
  );
  return r.rows;
}

export interface DiagnosisVersionExportRow {
  diagnosis_id: string;
  version: number;
  rank: 'primary' | 'secondary';
  status: 'active' | 'resolved' | 'rule_out' | 'entered_in_error';
  onset_date: string | null;
  resolved_date: string | null;
  changed_fields: string[];
  changed_by: string;
  changed_at: Date;
}

export async function diagnosisVersionsOf(
  tx: Queryable,
  clientId: string,
): Promise<DiagnosisVersionExportRow[]> {
  const r = await tx.query<DiagnosisVersionExportRow>(
    `SELECT diagnosis_id, version, rank, status, onset_date::text, resolved_date::text, changed_fields,
            changed_by, changed_at
       FROM client_diagnosis_versions WHERE client_id = $1 ORDER BY diagnosis_id, version`,
    [clientId],
  );
  return r.rows;
}

export interface PlanVersionExportRow {
  id: string;
  plan_id: string;
  version_no: number;
  based_on: string | null;
  content_enc: Buffer;
  created_at: Date;
  signed_at: Date;
  signed_by: string;
  signer_name: string;
  signer_credentials: string | null;
  signer_license: string | null;
  content_hash: string;
  review_due_date: string;
  is_current: boolean;
}

/** Every signed version, oldest first (the caller keeps those in force during the range). */
export async function signedPlanVersionsOf(tx: Queryable, clientId: string): Promise<PlanVersionExportRow[]> {
  const r = await tx.query<PlanVersionExportRow>(
    `SELECT v.id, v.plan_id, v.version_no, v.based_on, v.content_enc, v.created_at, v.signed_at,
            v.signed_by, v.signer_name, v.signer_credentials, v.signer_license, v.content_hash,
            v.review_due_date::text, (p.current_version_id = v.id) AS is_current
       FROM treatment_plan_versions v JOIN treatment_plans p ON p.id = v.plan_id
      WHERE v.client_id = $1 AND v.status = 'signed'
      ORDER BY v.version_no`,
    [clientId],
  );
  return r.rows;
}

export interface AcknowledgementExportRow {
  id: string;
  version_id: string;
  typed_name_enc: Buffer;
  acknowledged_on: string;
  method: 'in_person' | 'remote';
  has_drawn_signature: boolean;
  recorded_by: string;
  recorded_at: Date;
}

export async function acknowledgementsOf(
  tx: Queryable,
  clientId: string,
): Promise<AcknowledgementExportRow[]> {
  const r = await tx.query<AcknowledgementExportRow>(
    `SELECT id, version_id, typed_name_enc, acknowledged_on::text, method,
            (signature_png_enc IS NOT NULL) AS has_drawn_signature, recorded_by, recorded_at
       FROM plan_acknowledgements WHERE client_id = $1 ORDER BY recorded_at, id`,
    [clientId],
  );
  return r.rows;
}

export interface SessionExportRow {
  id: string;
  clinician_id: string;
  service_type: string;
  scheduled_start: Date;
  scheduled_end: Date;
  actual_start: Date | null;
  actual_end: Date | null;
  modality: string;
  location: string | null;
  client_at_home: boolean;
  place_of_service: string;
  other_participants: string[];
  interactive_complexity: boolean;
  cpt_override: { code: string; units: number; modifiers: string[] }[] | null;
  cpt_override_reason: string | null;
  cancelled_at: Date | null;
  attendance: string;
  cancellation_reason: string | null;
}

/** The client's sessions in the range, oldest first; future sessions still only scheduled are left out. */
export async function sessionsOf(
  tx: Queryable,
  clientId: string,
  range: InstantRange,
  now: Date,
): Promise<SessionExportRow[]> {
  const r = await tx.query<SessionExportRow>(
    `SELECT s.id, s.clinician_id, s.service_type, s.scheduled_start, s.scheduled_end, s.actual_start,
            s.actual_end, s.modality, s.location, s.client_at_home, s.place_of_service,
            s.other_participants, s.interactive_complexity, s.cpt_override, s.cpt_override_reason,
            s.cancelled_at, sc.attendance, sc.cancellation_reason
       FROM session_clients sc JOIN sessions s ON s.id = sc.session_id
      WHERE sc.client_id = $1
        AND ($2::timestamptz IS NULL OR sc.starts_at >= $2)
        AND ($3::timestamptz IS NULL OR sc.starts_at < $3)
        AND NOT (sc.attendance = 'scheduled' AND sc.starts_at > $4)
      ORDER BY sc.starts_at, s.id`,
    [clientId, range.from, range.before, now],
  );
  return r.rows;
}

export interface NoteExportRow {
  id: string;
  session_id: string | null;
  author_id: string;
  kind: string;
  format: string | null;
  template_key: string;
  template_version: number;
  status: 'signed' | 'awaiting_cosign';
  date_of_service: string;
  session_facts: Record<string, unknown>;
  diagnosis_codes: string[];
  content_enc: Buffer | null;
  late_entry: boolean;
  requires_cosign: boolean;
  signed_at: Date | null;
  signed_by: string | null;
  signer_name: string | null;
  signer_credentials: string | null;
  signer_license: string | null;
  content_hash: string | null;
  cosigned_at: Date | null;
  cosigned_by: string | null;
  cosigner_name: string | null;
  cosigner_credentials: string | null;
  cosigner_license: string | null;
}

/** Signed notes (and those awaiting co-signature) in the range; drafts are not part of the record. */
export async function notesOf(tx: Queryable, clientId: string, range: DateRange): Promise<NoteExportRow[]> {
  const r = await tx.query<NoteExportRow>(
    `SELECT id, session_id, author_id, kind, format, template_key, template_version, status,
            date_of_service::text, session_facts, diagnosis_codes, content_enc, late_entry,
            requires_cosign, signed_at, signed_by, signer_name, signer_credentials, signer_license,
            content_hash, cosigned_at, cosigned_by, cosigner_name, cosigner_credentials, cosigner_license
       FROM notes
      WHERE client_id = $1 AND status IN ('signed', 'awaiting_cosign')
        AND ($2::date IS NULL OR date_of_service >= $2) AND ($3::date IS NULL OR date_of_service <= $3)
      ORDER BY date_of_service, signed_at, id`,
    [clientId, range.from, range.to],
  );
  return r.rows;
}

export interface AddendumExportRow {
  id: string;
  note_id: string;
  author_id: string;
  content_enc: Buffer;
  signed_at: Date;
  signer_name: string;
  signer_credentials: string | null;
  signer_license: string | null;
  content_hash: string;
}

/** Every addendum of the client's notes (the caller keeps those of exported notes). */
export async function addendaOf(tx: Queryable, clientId: string): Promise<AddendumExportRow[]> {
  const r = await tx.query<AddendumExportRow>(
    `SELECT id, note_id, author_id, content_enc, signed_at, signer_name, signer_credentials,
            signer_license, content_hash
       FROM note_addenda WHERE client_id = $1 ORDER BY signed_at, id`,
    [clientId],
  );
  return r.rows;
}

export interface TemplateVersionExportRow {
  template_id: string;
  version: number;
  definition: unknown;
}

/** The saved versions of the practice templates the exported notes were written with. */
export async function templateVersions(
  tx: Queryable,
  templateIds: string[],
): Promise<TemplateVersionExportRow[]> {
  if (templateIds.length === 0) return [];
  const r = await tx.query<TemplateVersionExportRow>(
    `SELECT template_id, version, definition FROM note_template_versions
      WHERE template_id = ANY($1::uuid[])`,
    [templateIds],
  );
  return r.rows;
}

export interface GoalRatingExportRow {
  note_id: string;
  goal_id: string;
  plan_version_id: string;
  scale: 'five_point' | 'zero_to_ten';
  rating: number | null;
  comment_enc: Buffer | null;
  new_status: string | null;
  date_of_service: string;
}

/** Ratings given in signed notes in the range. */
export async function goalRatingsOf(
  tx: Queryable,
  clientId: string,
  range: DateRange,
): Promise<GoalRatingExportRow[]> {
  const r = await tx.query<GoalRatingExportRow>(
    `SELECT g.note_id, g.goal_id, g.plan_version_id, g.scale, g.rating, g.comment_enc, g.new_status,
            n.date_of_service::text
       FROM note_goal_ratings g JOIN notes n ON n.id = g.note_id
      WHERE g.client_id = $1 AND n.status = 'signed'
        AND ($2::date IS NULL OR n.date_of_service >= $2) AND ($3::date IS NULL OR n.date_of_service <= $3)
      ORDER BY n.date_of_service, g.note_id, g.goal_id`,
    [clientId, range.from, range.to],
  );
  return r.rows;
}
