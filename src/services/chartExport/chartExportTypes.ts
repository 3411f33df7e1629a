import type { ReleaseCategory } from '../../domain/releaseScope.js';
import type { Modality, ServiceType } from '../../domain/cptTimeRule.js';
import type { NoteKind, ProgressFormat } from '../../domain/noteTemplates.js';
import type { PlanContent } from '../../domain/treatmentPlan.js';
import type { InstrumentId } from '../../domain/measureInstruments.js';
import type { ChartAmendment } from './chartAmendments.js';

export type { ChartAmendment } from './chartAmendments.js';

/**
 * One client's record as an export carries it: a plain, decrypted, JSON-able snapshot made by
 * loadChartForExport (loadChart.ts) for exactly one ExportScope. Every exporter (FHIR bundle,
 * PDF chart, client copy, whole-practice export) renders this and reads nothing else, so what
 * the scope leaves out is never read from the database in the first place.
 *
 * Conventions: instants are ISO 8601 UTC strings; dates are practice-local YYYY-MM-DD; ids are
 * the Casebook UUIDs (stable, so two exports of the same record compare equal); a part the
 * scope does not cover is an empty array (or null), never absent.
 */
export interface ChartExport {
  /** Bumped when a field changes meaning; importers check it. */
  formatVersion: 1;
  /** When the snapshot was taken (the transaction's clock). */
  exportedAt: string;
  exportedBy: { userId: string; name: string; credentials: string | null };
  scope: ChartScope;
  practice: ChartPractice;
  /** Everyone who signed, co-signed, authored, recorded or treats in what is exported. */
  clinicians: ChartClinician[];
  client: ChartClient;
  /** Emergency and other contacts; empty unless the scope covers 'demographics'. */
  contacts: ChartContact[];
  /** Background history (intake narrative); null unless the scope covers 'progress_notes'. */
  background: ChartBackground | null;
  /** 'diagnoses': every diagnosis on the list, entered-in-error ones included, with history. */
  diagnoses: ChartDiagnosis[];
  /** 'plans': signed plan versions only (drafts are not part of the record), oldest first. */
  planVersions: ChartPlanVersion[];
  /**
   * Sessions in the date range: 'progress_notes' or 'billing' (a session is the service record
   * both rest on). Scheduled-only sessions in the future are left out.
   */
  sessions: ChartSession[];
  /** 'progress_notes': signed notes (and notes awaiting co-signature), date order. */
  notes: ChartNote[];
  /** 'progress_notes' and 'plans' together: goal ratings given in signed notes. */
  goalRatings: ChartGoalRating[];
  /** 'measures': administrations in the date range, oldest first. */
  measures: ChartMeasure[];
  /** 'measures': risk alerts raised by the exported administrations. */
  riskAlerts: ChartRiskAlert[];
  /** 'measures': live (not withdrawn) chart annotations in the date range. */
  annotations: ChartAnnotation[];
  /** Consents and authorizations on file ('demographics'); see consentsRepo (migration 0009). */
  consents: ChartConsent[];
  /**
   * Psychotherapy notes: only when the scope covers 'psychotherapy_notes' AND only the ones the
   * exporting actor wrote. Never present in any other export.
   */
  psychotherapyNotes: ChartPsychotherapyNote[];
  /** Documents brought in from another system by the import feature (filled by the importer). */
  importedDocuments: ChartImportedDocument[];
  /**
   * Amendment requests about a record the export carries (45 CFR 164.526(c)(3), (d)(4)): with
   * their decision, the client's statements of disagreement and the practice's rebuttals. A note's
   * only when the note is exported; never about psychotherapy notes (not in the record set).
   */
  amendments: ChartAmendment[];
  /** The 42 CFR Part 2 redisclosure notice, when the record holds Part 2 records. */
  part2Notice: string | null;
}

export interface ChartScope {
  categories: ReleaseCategory[];
  from: string | null;
  to: string | null;
  purpose: 'release' | 'client_copy' | 'practice_export';
  recipient: string | null;
}

export interface ChartPractice {
  id: string;
  name: string;
  kind: 'clinical' | 'coaching';
  timeZone: string;
  /** Not stored by Casebook yet: always null until practice settings hold them. */
  address: ChartAddress | null;
  npi: string | null;
  taxId: string | null;
}

export interface ChartClinician {
  id: string;
  name: string;
  credentials: string | null;
  licenseNumber: string | null;
  /** Not stored by Casebook yet: always null. */
  npi: string | null;
  roles: string[];
}

export interface ChartAddress {
  line1: string;
  line2: string | null;
  city: string;
  state: string;
  postalCode: string;
  country: string;
}

/**
 * Without 'demographics' only what identifies the record is kept (id, record number, legal
 * name, date of birth): an export must say whose record it is. Everything else is null/empty.
 */
export interface ChartClient {
  id: string;
  clientCode: string;
  legalFirstName: string;
  legalLastName: string;
  dateOfBirth: string;
  /** True when the demographic fields below were read (scope covers 'demographics'). */
  demographicsIncluded: boolean;
  preferredName: string | null;
  pronouns: string | null;
  genderIdentity: string | null;
  sex: 'female' | 'male' | 'intersex' | 'unknown' | null;
  phones: { kind: 'mobile' | 'home' | 'work' | 'other'; number: string; mayLeaveMessage: boolean }[];
  email: string | null;
  address: ChartAddress | null;
  preferredLanguage: string | null;
  referralSource: string | null;
  intakeDate: string | null;
  status: 'active' | 'inactive' | 'discharged' | null;
  statusReason: string | null;
  primaryClinicianId: string | null;
  careTeam: string[];
}

export interface ChartContact {
  id: string;
  name: string;
  relationship: string;
  phone: string | null;
  email: string | null;
  isEmergency: boolean;
  mayContact: boolean;
  notes: string | null;
}

export interface ChartBackground {
  presentingConcerns: string | null;
  medicalHistory: string | null;
  medications: string | null;
  allergies: string | null;
  priorTherapy: string | null;
  psychiatricHistory: string | null;
  familySocialHistory: string | null;
  substanceUse: string | null;
  updatedAt: string;
}

export type DiagnosisStatus = 'active' | 'resolved' | 'rule_out' | 'entered_in_error';

export interface ChartDiagnosis {
  id: string;
  /** ICD-10-CM as the catalog spells it ("F41.1"). */
  code: string;
  description: string;
  rank: 'primary' | 'secondary';
  status: DiagnosisStatus;
  onsetDate: string | null;
  resolvedDate: string | null;
  comment: string | null;
  recordedAt: string;
  recordedBy: string;
  updatedAt: string;
  /** Every version, oldest first. */
  history: {
    version: number;
    rank: 'primary' | 'secondary';
    status: DiagnosisStatus;
    onsetDate: string | null;
    resolvedDate: string | null;
    changedFields: string[];
    changedBy: string;
    changedAt: string;
  }[];
}

export interface ChartSignature {
  userId: string;
  name: string;
  credentials: string | null;
  licenseNumber: string | null;
  signedAt: string;
}

export interface ChartPlanVersion {
  id: string;
  planId: string;
  versionNo: number;
  basedOnVersionId: string | null;
  content: PlanContent;
  createdAt: string;
  signature: ChartSignature;
  /** SHA-256 (hex) taken at signing. */
  contentHash: string;
  reviewDueDate: string;
  /** True for the latest signed version (the plan in force). */
  current: boolean;
  acknowledgements: {
    id: string;
    typedName: string;
    acknowledgedOn: string;
    method: 'in_person' | 'remote';
    hasDrawnSignature: boolean;
    recordedBy: string;
    recordedAt: string;
  }[];
}

export type Attendance =
  'scheduled' | 'attended' | 'no_show' | 'late_cancel' | 'cancelled_client' | 'cancelled_clinician';

export interface ChartCpt {
  code: string;
  units: number;
  modifiers: string[];
}

export interface ChartSession {
  id: string;
  clinicianId: string;
  serviceType: ServiceType;
  /** Practice-local date of service. */
  date: string;
  scheduledStart: string;
  scheduledEnd: string;
  actualStart: string | null;
  actualEnd: string | null;
  minutes: number | null;
  modality: Modality;
  location: string | null;
  clientAtHome: boolean;
  placeOfService: string;
  /** Other participants by role; other clients in a group are never named. */
  otherParticipants: string[];
  interactiveComplexity: boolean;
  /** The codes billed: the override when there is one, else the suggested codes. */
  cpt: ChartCpt[];
  cptOverrideReason: string | null;
  attendance: Attendance;
  cancellationReason: string | null;
  cancelledAt: string | null;
}

/** A readable section of a note as its template renders it. */
export interface ChartNoteSection {
  title: string;
  lines: { label: string; text: string }[];
}

export interface ChartNote {
  id: string;
  sessionId: string | null;
  authorId: string;
  kind: NoteKind;
  format: ProgressFormat | null;
  templateKey: string;
  templateVersion: number;
  templateName: string;
  status: 'signed' | 'awaiting_cosign';
  dateOfService: string;
  /** The session facts the note carries (start, end, minutes, modality, CPT ...), as signed. */
  sessionFacts: Record<string, unknown>;
  diagnosisCodes: string[];
  /** The structured fields, decrypted, exactly as stored (field id → value). */
  content: Record<string, unknown>;
  /** The same content as readable sections (labels resolved by the template). */
  sections: ChartNoteSection[];
  /** The readable text of the whole note: the sections joined, one "Label: text" per line. */
  text: string;
  lateEntry: boolean;
  signature: ChartSignature | null;
  /** SHA-256 (hex) of the signed content. */
  contentHash: string | null;
  requiresCosign: boolean;
  cosignature: ChartSignature | null;
  addenda: ChartAddendum[];
}

export interface ChartAddendum {
  id: string;
  noteId: string;
  reason: string;
  text: string;
  signature: ChartSignature;
  contentHash: string;
}

export interface ChartGoalRating {
  noteId: string;
  goalId: string;
  planVersionId: string;
  /** The goal statement in the rated plan version (blank when the version is not exported). */
  goalStatement: string;
  dateOfService: string;
  scale: 'five_point' | 'zero_to_ten';
  rating: number | null;
  comment: string | null;
  newStatus: string | null;
}

export interface ChartMeasure {
  id: string;
  instrument: InstrumentId;
  /** The instrument wording version stored with the administration. */
  version: string;
  administeredAt: string;
  date: string;
  source: 'clinician' | 'client_link';
  sessionId: string | null;
  recordedBy: string | null;
  total: number;
  band: string;
  bandLabel: string;
  item9Positive: boolean;
  /** Item answers by item id ('q1' ..., 'difficulty'), decrypted. */
  answers: Record<string, number | null>;
}

export interface ChartRiskAlert {
  id: string;
  kind: string;
  administrationId: string;
  itemValue: number;
  raisedAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  acknowledgementNote: string | null;
}

export interface ChartAnnotation {
  id: string;
  date: string;
  text: string;
  createdBy: string;
  createdAt: string;
}

/** A consent or authorization on file (engineer A's consents table, migration 0009). */
export interface ChartConsent {
  id: string;
  /** e.g. 'treatment', 'telehealth', 'release', 'part2_release', 'psychotherapy_notes_release'. */
  kind: string;
  status: string;
  /** Human-readable title / summary of what was agreed. */
  title: string;
  recipient: string | null;
  purpose: string | null;
  categories: ReleaseCategory[];
  signedOn: string | null;
  effectiveFrom: string | null;
  expiresOn: string | null;
  revokedAt: string | null;
  recordedBy: string | null;
  recordedAt: string;
  hasScan: boolean;
}

export interface ChartPsychotherapyNote {
  id: string;
  authorId: string;
  sessionId: string | null;
  dateOfService: string;
  text: string;
  createdAt: string;
  updatedAt: string;
}

/** A document brought in from another system (its original bytes stay with the import). */
export interface ChartImportedDocument {
  id: string;
  title: string;
  contentType: string;
  /** Practice-local date the document speaks for, when known. */
  date: string | null;
  importedAt: string;
  importedBy: string;
  source: string | null;
  /** Readable text of the document, when it has one. */
  text: string | null;
  /** Set by the FHIR import (src/services/importedDocuments.ts): a note, an addendum (of appendsId) or a signed plan. */
  kind?: 'note' | 'addendum' | 'plan';
  appendsId?: string | null;
  /** Authorship and signature as the source stated them (another provider: never re-signed here). */
  authorName?: string | null;
  authoredAt?: string | null;
  signerName?: string | null;
  signedAt?: string | null;
  /** The source's own FHIR resources for this document, re-emitted unchanged by the FHIR export. */
  fhirResources?: Record<string, unknown>[];
}
