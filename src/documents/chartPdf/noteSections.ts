import type { ChartExport, ChartNote, ChartSession } from '../../services/chartExport/chartExportTypes.js';
import { NOTE_KIND_TITLES } from '../../domain/noteTemplates.js';
import { localTime } from '../../domain/printedTime.js';
import { MODALITY_LABELS, SERVICE_TYPE_LABELS } from '../../domain/sessionLabels.js';
import type { Modality, ServiceType } from '../../domain/cptTimeRule.js';
import { signatureLine } from '../notePdf.js';
import { clinicianName, formatLabel, hashLabel, signatureBlock, when, words } from './chartFormat.js';
import type { ChartWriter } from './chartWriter.js';
import { writeNoteAmendments } from './amendmentSections.js';

// Sessions, signed notes with their signatures and addenda, and psychotherapy notes when authorized.

/** Room a note's heading needs with its facts table and the first lines of its text. */
const NOTE_START_ROOM = 150;
const SECTION_COLOR = '#1f4e79';
/** Lines the signature block takes (rule, signature, hash, co-signature). */
const SIGNATURE_ROOM = 5;
/** Beyond this, the last field and the signature may part at a page break. */
const MAX_KEPT_TOGETHER = 200;

const isModality = (v: unknown): v is Modality => typeof v === 'string' && v in MODALITY_LABELS;
const isServiceType = (v: unknown): v is ServiceType => typeof v === 'string' && v in SERVICE_TYPE_LABELS;
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function cptText(cpt: unknown): string | null {
  if (!Array.isArray(cpt)) return null;
  const codes = cpt
    .map((c: unknown) => {
      if (c === null || typeof c !== 'object') return null;
      const { code, units } = c as { code?: unknown; units?: unknown };
      if (typeof code !== 'string') return null;
      return typeof units === 'number' && units > 1 ? `${code} × ${units}` : code;
    })
    .filter((c): c is string => c !== null);
  return codes.length > 0 ? codes.join(', ') : null;
}

function timeRange(chart: ChartExport, start: string | null, end: string | null): string {
  if (start === null) return '—';
  const tz = chart.practice.timeZone;
  const from = localTime(new Date(start), tz);
  return end === null ? from : `${from}–${localTime(new Date(end), tz)}`;
}

/** The session facts as signed in the note, falling back to the session record. */
function noteFacts(chart: ChartExport, note: ChartNote, session: ChartSession | undefined): string[] {
  const f = note.sessionFacts;
  const start = text(f.start) ?? session?.actualStart ?? session?.scheduledStart ?? null;
  const end = text(f.end) ?? session?.actualEnd ?? session?.scheduledEnd ?? null;
  const minutes = typeof f.minutes === 'number' ? f.minutes : (session?.minutes ?? null);
  const modality = isModality(f.modality) ? f.modality : session?.modality;
  const location = text(f.location) ?? session?.location ?? null;
  const atHome = f.clientAtHome === true || session?.clientAtHome === true;
  const service = isServiceType(f.serviceType) ? f.serviceType : session?.serviceType;
  const cpt = cptText(f.cpt) ?? cptText(session?.cpt);
  return [
    note.dateOfService,
    timeRange(chart, start, end),
    minutes === null ? '—' : String(minutes),
    modality ? MODALITY_LABELS[modality] : '—',
    [location, atHome ? 'Client at home' : null].filter((x): x is string => x !== null).join(', ') || '—',
    [service ? SERVICE_TYPE_LABELS[service] : null, cpt ? `CPT ${cpt}` : null]
      .filter((x): x is string => x !== null)
      .join('\n') || '—',
  ];
}

function writeNote(
  w: ChartWriter,
  chart: ChartExport,
  note: ChartNote,
  sessions: Map<string, ChartSession>,
): void {
  w.ensureRoom(NOTE_START_ROOM);
  const format = formatLabel(note.format);
  const title = `${note.dateOfService} — ${NOTE_KIND_TITLES[note.kind]}${format ? ` (${format})` : ''}`;
  w.bookmark(title);
  w.heading(title, 12, 5);
  w.continuation = `${title} (continued)`;
  const session = note.sessionId === null ? undefined : sessions.get(note.sessionId);
  w.table(
    [68, 76, 54, 62, 92, '*'],
    ['Date', 'Time', 'Minutes', 'Modality', 'Location', 'Service'],
    [noteFacts(chart, note, session)],
  );
  w.muted(
    [
      `Clinician: ${clinicianName(chart, note.authorId)}`,
      note.diagnosisCodes.length > 0 ? `Diagnoses: ${note.diagnosisCodes.join(', ')}` : null,
      `Template: ${note.templateName}`,
      note.lateEntry ? 'Late entry' : null,
    ]
      .filter((x): x is string => x !== null)
      .join('  ·  '),
  );
  w.gap(0.5);
  const sections = note.sections.filter((section) => section.lines.length > 0);
  const last = sections[sections.length - 1]?.lines.at(-1);
  for (const section of sections) {
    w.heading(section.title, 10.5, 3, SECTION_COLOR);
    for (const line of section.lines) {
      // The last field goes with the signature when both fit on a page: a signature alone on a page says little.
      if (line === last) {
        const tail = w.textHeight(line.text) + SIGNATURE_ROOM * w.lineHeight();
        if (tail < MAX_KEPT_TOGETHER) w.ensureRoom(tail);
      }
      // A section of one field named as the section ("Plan: Plan") needs no second label.
      if (line.label === '' || (section.lines.length === 1 && line.label === section.title)) {
        w.body(line.text);
        w.gap(0.4);
      } else w.field(line.label, line.text);
    }
  }

  // The signature block stays in one piece.
  w.ensureRoom(SIGNATURE_ROOM * w.lineHeight());
  w.gap(0.2);
  w.rule();
  w.gap(0.4);
  if (note.signature) w.body(signatureLine(signatureBlock(chart, note.signature, 'Signed')));
  if (note.contentHash) w.muted(`Content hash ${hashLabel(note.contentHash)}`);
  if (note.cosignature) {
    w.gap(0.2);
    w.body(signatureLine(signatureBlock(chart, note.cosignature, 'Co-signed')) + ' (supervisor)');
  } else if (note.requiresCosign || note.status === 'awaiting_cosign')
    w.body('Awaiting supervisor co-signature.');
  w.gap(0.6);

  note.addenda.forEach((addendum, i) => {
    w.heading(`Addendum ${i + 1} to the note of ${note.dateOfService}`, 10.5, 3);
    w.field('Reason', addendum.reason);
    w.field('Addendum', addendum.text);
    w.ensureRoom(3 * w.lineHeight());
    w.body(signatureLine(signatureBlock(chart, addendum.signature, 'Signed')));
    w.muted(`Content hash ${hashLabel(addendum.contentHash)}`);
    w.gap(0.6);
  });
  writeNoteAmendments(w, chart, note);
  w.continuation = null;
  w.gap(0.4);
  w.rule('#cccccc');
  w.gap(1);
}

/** Every note in date order (then by signing time), each followed by its addenda. */
export function notesInOrder(chart: ChartExport): ChartNote[] {
  const signedAt = (n: ChartNote) => n.signature?.signedAt ?? '';
  return [...chart.notes].sort(
    (a, b) =>
      a.dateOfService.localeCompare(b.dateOfService) ||
      signedAt(a).localeCompare(signedAt(b)) ||
      a.id.localeCompare(b.id),
  );
}

/**
 * The notes, one after another. A checkpoint after each lets a streaming caller wait for the
 * reader, so a chart of hundreds of notes is never held whole in memory.
 */
export async function writeNotes(
  w: ChartWriter,
  chart: ChartExport,
  checkpoint: () => Promise<void>,
): Promise<void> {
  if (chart.notes.length === 0) {
    w.body('No signed notes in this period.');
    return;
  }
  const sessions = new Map(chart.sessions.map((s) => [s.id, s]));
  for (const note of notesInOrder(chart)) {
    writeNote(w, chart, note, sessions);
    await checkpoint();
  }
}

export function writeSessions(w: ChartWriter, chart: ChartExport): void {
  if (chart.sessions.length === 0) {
    w.body('No sessions in this period.');
    return;
  }
  const sorted = [...chart.sessions].sort((a, b) => a.scheduledStart.localeCompare(b.scheduledStart));
  w.table(
    [64, 74, '*', 100, 54, 34, 70],
    ['Date', 'Time', 'Service', 'Clinician', 'Modality', 'Min.', 'Attendance'],
    sorted.map((s) => [
      s.date,
      timeRange(chart, s.actualStart ?? s.scheduledStart, s.actualEnd ?? s.scheduledEnd),
      SERVICE_TYPE_LABELS[s.serviceType] + (cptText(s.cpt) ? `\nCPT ${cptText(s.cpt)}` : ''),
      clinicianName(chart, s.clinicianId),
      MODALITY_LABELS[s.modality],
      s.minutes === null ? '—' : String(s.minutes),
      s.attendance === 'no_show' ? 'No-show' : words(s.attendance),
    ]),
  );
}

export async function writePsychotherapyNotes(
  w: ChartWriter,
  chart: ChartExport,
  checkpoint: () => Promise<void>,
): Promise<void> {
  w.body('Released under an authorization specific to psychotherapy notes (45 CFR 164.508(a)(2)).');
  w.gap(0.6);
  if (chart.psychotherapyNotes.length === 0) w.body('No psychotherapy notes in this period.');
  const sorted = [...chart.psychotherapyNotes].sort((a, b) => a.dateOfService.localeCompare(b.dateOfService));
  for (const p of sorted) {
    w.heading(`${p.dateOfService} — Psychotherapy note`, 12, 3);
    w.body(p.text);
    w.muted(`Written by ${clinicianName(chart, p.authorId)}; last changed ${when(chart, p.updatedAt)}.`);
    w.gap(0.8);
    await checkpoint();
  }
}
