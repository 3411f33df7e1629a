import type * as repo from '../../db/chartExportRepo.js';
import type * as measureRepo from '../../db/chartExportMeasuresRepo.js';
import type { ClientRow } from '../../db/clientsRepo.js';
import type { BackgroundField, BackgroundRow } from '../../db/clientBackgroundRepo.js';
import { decryptField } from '../../security/fieldEncryption.js';
import { suggestCpt, type Modality, type ServiceType } from '../../domain/cptTimeRule.js';
import { localDateOf } from '../../domain/recurrence.js';
import { INSTRUMENTS, type InstrumentId } from '../../domain/measureInstruments.js';
import {
  renderSections,
  type NoteContent,
  type NoteKind,
  type ProgressFormat,
  type TemplateDefinition,
} from '../../domain/noteTemplates.js';
import type {
  Attendance,
  ChartAddendum,
  ChartBackground,
  ChartClient,
  ChartContact,
  ChartDiagnosis,
  ChartMeasure,
  ChartNote,
  ChartNoteSection,
  ChartSession,
  ChartSignature,
} from './chartExportTypes.js';

// Row → part conversions for loadChart.ts: decryption with the client's key and formatting,
// no I/O.

const iso = (d: Date) => d.toISOString();

export function clientPart(row: ClientRow, withDemographics: boolean, careTeam: string[]): ChartClient {
  const identity = {
    id: row.id,
    clientCode: row.client_code,
    legalFirstName: row.legal_first_name,
    legalLastName: row.legal_last_name,
    dateOfBirth: row.date_of_birth,
  };
  if (!withDemographics)
    return {
      ...identity,
      demographicsIncluded: false,
      preferredName: null,
      pronouns: null,
      genderIdentity: null,
      sex: null,
      phones: [],
      email: null,
      address: null,
      preferredLanguage: null,
      referralSource: null,
      intakeDate: null,
      status: null,
      statusReason: null,
      primaryClinicianId: null,
      careTeam: [],
    };
  return {
    ...identity,
    demographicsIncluded: true,
    preferredName: row.preferred_name,
    pronouns: row.pronouns,
    genderIdentity: row.gender_identity,
    sex: row.sex,
    phones: row.phones.map((p) => ({ kind: p.kind, number: p.number, mayLeaveMessage: p.mayLeaveMessage })),
    email: row.email,
    address: row.address
      ? {
          line1: row.address.line1,
          line2: row.address.line2 ?? null,
          city: row.address.city,
          state: row.address.state,
          postalCode: row.address.postalCode,
          country: row.address.country,
        }
      : null,
    preferredLanguage: row.preferred_language,
    referralSource: row.referral_source,
    intakeDate: row.intake_date,
    status: row.status,
    statusReason: row.status_reason,
    primaryClinicianId: row.primary_clinician_id,
    careTeam,
  };
}

export function contactPart(r: repo.ContactExportRow): ChartContact {
  return {
    id: r.id,
    name: r.name,
    relationship: r.relationship,
    phone: r.phone,
    email: r.email,
    isEmergency: r.is_emergency,
    mayContact: r.may_contact,
    notes: r.notes,
  };
}

export function backgroundPart(key: Buffer, row: BackgroundRow): ChartBackground {
  const open = (f: BackgroundField): string | null => {
    const blob = row[f];
    return blob ? decryptField(key, 'client_backgrounds', row.client_id, f, blob) : null;
  };
  return {
    presentingConcerns: open('presenting_concerns'),
    medicalHistory: open('medical_history'),
    medications: open('medications'),
    allergies: open('allergies'),
    priorTherapy: open('prior_therapy'),
    psychiatricHistory: open('psychiatric_history'),
    familySocialHistory: open('family_social_history'),
    substanceUse: open('substance_use'),
    updatedAt: iso(row.updated_at),
  };
}

export function diagnosisParts(
  key: Buffer,
  rows: repo.DiagnosisExportRow[],
  versions: repo.DiagnosisVersionExportRow[],
): ChartDiagnosis[] {
  const history = new Map<string, ChartDiagnosis['history']>();
  for (const v of versions) {
    const list = history.get(v.diagnosis_id) ?? [];
    list.push({
      version: v.version,
      rank: v.rank,
      status: v.status,
      onsetDate: v.onset_date,
      resolvedDate: v.resolved_date,
      changedFields: v.changed_fields,
      changedBy: v.changed_by,
      changedAt: iso(v.changed_at),
    });
    history.set(v.diagnosis_id, list);
  }
  return rows.map((d) => ({
    id: d.id,
    code: d.code,
    description: d.description,
    rank: d.rank,
    status: d.status,
    onsetDate: d.onset_date,
    resolvedDate: d.resolved_date,
    comment: d.comment_enc ? decryptField(key, 'client_diagnoses', d.id, 'comment', d.comment_enc) : null,
    recordedAt: iso(d.created_at),
    recordedBy: d.created_by,
    updatedAt: iso(d.updated_at),
    history: history.get(d.id) ?? [],
  }));
}

export function sessionPart(r: repo.SessionExportRow, timeZone: string, officePos: string): ChartSession {
  const start = r.actual_start ?? r.scheduled_start;
  const minutes =
    r.actual_start && r.actual_end
      ? Math.round((r.actual_end.getTime() - r.actual_start.getTime()) / 60_000)
      : null;
  const cpt =
    r.cpt_override ??
    suggestCpt({
      serviceType: r.service_type as ServiceType,
      minutes,
      modality: r.modality as Modality,
      clientAtHome: r.client_at_home,
      interactiveComplexity: r.interactive_complexity,
      officePos,
    }).codes;
  return {
    id: r.id,
    clinicianId: r.clinician_id,
    serviceType: r.service_type as ServiceType,
    date: localDateOf(start, timeZone),
    scheduledStart: iso(r.scheduled_start),
    scheduledEnd: iso(r.scheduled_end),
    actualStart: r.actual_start ? iso(r.actual_start) : null,
    actualEnd: r.actual_end ? iso(r.actual_end) : null,
    minutes,
    modality: r.modality as Modality,
    location: r.location,
    clientAtHome: r.client_at_home,
    placeOfService: r.place_of_service,
    otherParticipants: r.other_participants,
    interactiveComplexity: r.interactive_complexity,
    cpt: cpt.map((c) => ({ code: c.code, units: c.units, modifiers: [...c.modifiers] })),
    cptOverrideReason: r.cpt_override_reason,
    attendance: r.attendance as Attendance,
    cancellationReason: r.cancellation_reason,
    cancelledAt: r.cancelled_at ? iso(r.cancelled_at) : null,
  };
}

function signature(
  userId: string | null,
  name: string | null,
  credentials: string | null,
  license: string | null,
  at: Date | null,
): ChartSignature | null {
  return userId && name && at
    ? { userId, name, credentials, licenseNumber: license, signedAt: iso(at) }
    : null;
}

/** Sections as text: a heading line per section, then "Label: text" per field. */
export function sectionsText(sections: ChartNoteSection[]): string {
  return sections
    .map((s) => [s.title, ...s.lines.map((l) => (l.label ? `${l.label}: ${l.text}` : l.text))].join('\n'))
    .join('\n\n');
}

export function addendumPart(key: Buffer, a: repo.AddendumExportRow): ChartAddendum {
  const body = JSON.parse(decryptField(key, 'note_addenda', a.id, 'content', a.content_enc)) as {
    reason: string;
    text: string;
  };
  return {
    id: a.id,
    noteId: a.note_id,
    reason: body.reason,
    text: body.text,
    signature: {
      userId: a.author_id,
      name: a.signer_name,
      credentials: a.signer_credentials,
      licenseNumber: a.signer_license,
      signedAt: iso(a.signed_at),
    },
    contentHash: a.content_hash,
  };
}

export function notePart(
  key: Buffer,
  n: repo.NoteExportRow,
  template: TemplateDefinition | undefined,
  addenda: ChartAddendum[],
): ChartNote {
  const content = n.content_enc
    ? (JSON.parse(decryptField(key, 'notes', n.id, 'content', n.content_enc)) as NoteContent)
    : {};
  // A template that cannot be found (never expected) still leaves every value readable.
  const sections: ChartNoteSection[] = template
    ? renderSections(template, content).map((s) => ({
        title: s.title,
        lines: s.lines.map((l) => ({ label: l.label, text: l.text })),
      }))
    : [
        {
          title: 'Note',
          lines: Object.entries(content).map(([k, v]) => ({
            label: k,
            text: typeof v === 'string' ? v : JSON.stringify(v),
          })),
        },
      ];
  return {
    id: n.id,
    sessionId: n.session_id,
    authorId: n.author_id,
    kind: n.kind as NoteKind,
    format: n.format as ProgressFormat | null,
    templateKey: n.template_key,
    templateVersion: n.template_version,
    templateName: template?.name ?? n.template_key,
    status: n.status,
    dateOfService: n.date_of_service,
    sessionFacts: n.session_facts,
    diagnosisCodes: n.diagnosis_codes,
    content,
    sections,
    text: sectionsText(sections),
    lateEntry: n.late_entry,
    signature: signature(n.signed_by, n.signer_name, n.signer_credentials, n.signer_license, n.signed_at),
    contentHash: n.content_hash,
    requiresCosign: n.requires_cosign,
    cosignature: signature(
      n.cosigned_by,
      n.cosigner_name,
      n.cosigner_credentials,
      n.cosigner_license,
      n.cosigned_at,
    ),
    addenda,
  };
}

export function measurePart(key: Buffer, m: measureRepo.MeasureExportRow, timeZone: string): ChartMeasure {
  const instrument = m.instrument as InstrumentId;
  const answers = JSON.parse(
    decryptField(key, 'measure_administrations', m.id, 'answers', m.answers_enc),
  ) as Record<string, number | null>;
  return {
    id: m.id,
    instrument,
    version: m.version,
    administeredAt: iso(m.administered_at),
    date: localDateOf(m.administered_at, timeZone),
    source: m.source,
    sessionId: m.session_id,
    recordedBy: m.recorded_by,
    total: m.total,
    band: m.band,
    bandLabel: INSTRUMENTS[instrument].bands.find((b) => b.key === m.band)?.label ?? m.band,
    item9Positive: m.item9_positive,
    answers,
  };
}
