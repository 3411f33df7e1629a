import { getClient, type ClientRow } from '../db/clientsRepo.js';
import { getUser } from '../db/usersRepo.js';
import type { PracticeRow } from '../db/practicesRepo.js';
import { renderNotePdf, type NotePdfModel, type SignatureBlock } from '../documents/notePdf.js';
import { Conflict, NotFound } from '../domain/errors.js';
import { localDateOf } from '../domain/recurrence.js';
import { localTime, printedTime } from '../domain/printedTime.js';
import {
  BUILT_IN_KEY_PREFIX,
  NOTE_KIND_TITLES,
  renderSections,
  type ProgressFormat,
} from '../domain/noteTemplates.js';
import type { Modality } from '../domain/cptTimeRule.js';
import { auditAs, inPractice, type Ctx } from './context.js';
import {
  assembleNote,
  authorizeNote,
  noteFacts,
  practiceOf,
  type NoteView,
  type SignatureView,
} from './noteService.js';
import { goalRatingsForPrint, type PrintedGoalRating } from './goalProgressService.js';

const KIND_TITLE = NOTE_KIND_TITLES;

const FORMAT_LABEL: Record<ProgressFormat, string> = {
  soap: 'SOAP',
  dap: 'DAP',
  birp: 'BIRP',
  girp: 'GIRP',
  pirp: 'PIRP',
  narrative: 'Narrative',
};

const MODALITY_LABEL: Record<Modality, string> = {
  in_person: 'In person',
  video: 'Telehealth (video)',
  phone: 'Telephone',
};

export { printedTime };

function signatureBlock(s: SignatureView, role: SignatureBlock['role'], timeZone: string): SignatureBlock {
  return {
    name: s.name,
    credentials: s.credentials,
    licenseNumber: s.licenseNumber,
    signedAt: printedTime(new Date(s.signedAt), timeZone),
    role,
  };
}

/** Legal name, with the preferred name when it differs; in privacy mode the client code alone. */
export function clientBlock(client: ClientRow, practice: PracticeRow): NotePdfModel['client'] {
  if (practice.privacy_mode)
    return { displayName: client.client_code, clientCode: client.client_code, dateOfBirth: null };
  const legal = `${client.legal_first_name} ${client.legal_last_name}`;
  const preferred =
    client.preferred_name && client.preferred_name !== client.legal_first_name
      ? ` (preferred name: ${client.preferred_name})`
      : '';
  return {
    displayName: `${legal}${preferred}`,
    clientCode: client.client_code,
    dateOfBirth: client.date_of_birth,
  };
}

function cptLabel(c: { code: string; units: number; modifiers: string[] }): string {
  const modifiers = c.modifiers.length > 0 ? `-${c.modifiers.join('-')}` : '';
  return c.units > 1 ? `${c.code}${modifiers} × ${c.units}` : `${c.code}${modifiers}`;
}

/** What a signed note prints as: every value resolved and formatted in the practice's time zone. */
export function notePdfModel(
  view: NoteView,
  client: ClientRow,
  practice: PracticeRow,
  printed: { at: Date; by: string },
  goalProgress: PrintedGoalRating[] = [],
): NotePdfModel {
  const tz = practice.time_zone;
  const facts = view.sessionFacts;
  const builtIn = view.templateKey.startsWith(BUILT_IN_KEY_PREFIX);
  const signatures: SignatureBlock[] = [];
  if (view.signature) signatures.push(signatureBlock(view.signature, 'Signed', tz));
  if (view.cosignature) signatures.push(signatureBlock(view.cosignature, 'Co-signed', tz));
  return {
    practice: { name: practice.name },
    client: clientBlock(client, practice),
    note: {
      title: KIND_TITLE[view.kind],
      // A practice's own template is named on the print; a built-in one is named by its format.
      kindLabel: view.format ? FORMAT_LABEL[view.format] : builtIn ? '' : view.template.name,
      dateOfService: view.dateOfService,
      start: facts.start ? localTime(new Date(facts.start), tz) : null,
      end: facts.end ? localTime(new Date(facts.end), tz) : null,
      minutes: facts.minutes,
      modality: facts.modality ? MODALITY_LABEL[facts.modality] : null,
      location: facts.location,
      placeOfService: facts.placeOfService,
      participants: facts.participants,
      cptCodes: facts.cpt.map(cptLabel),
      diagnoses: view.diagnoses,
      lateEntry:
        view.lateEntry && view.signature
          ? { signedOn: localDateOf(new Date(view.signature.signedAt), tz) }
          : null,
    },
    sections: renderSections(view.template, view.content).map((s) => ({
      title: s.title,
      lines: s.lines.map((l) => ({ label: l.label, text: l.text })),
    })),
    goalProgress,
    signatures,
    addenda: view.addenda.map((a) => ({
      reason: a.reason,
      text: a.text,
      signature: signatureBlock(a.signature, 'Signed', tz),
    })),
    contentHash: view.contentHash,
    printed: { at: printedTime(printed.at, tz), by: printed.by },
  };
}

export interface NotePrint {
  /** No client name: file names travel into download folders, mail and logs. */
  filename: string;
  stream: NodeJS.ReadableStream;
}

/**
 * A signed note (or one signed and waiting for co-signature) as a PDF. Drafts do not print:
 * only a signed record is a record. The print is audited before the file is made.
 */
export async function printNote(ctx: Ctx, noteId: string): Promise<NotePrint> {
  const now = ctx.clock();
  const model = await inPractice(ctx, async (tx) => {
    const { row, key } = await authorizeNote(tx, ctx, noteId, 'note.print');
    if (row.status !== 'signed' && row.status !== 'awaiting_cosign')
      throw new Conflict('Sign the note before printing');
    const [view, client, practice, printer, goalProgress] = [
      await assembleNote(tx, ctx, row, key),
      await getClient(tx, row.client_id),
      await practiceOf(tx, ctx),
      await getUser(tx, ctx.actor.userId),
      await goalRatingsForPrint(tx, row, key),
    ];
    if (!client) throw new NotFound('Client');
    await auditAs(tx, ctx, noteFacts(row, 'note.print'));
    return notePdfModel(
      view,
      client,
      practice,
      { at: now, by: printer?.full_name ?? ctx.actorLabel },
      goalProgress,
    );
  });
  return { filename: `note-${model.note.dateOfService}.pdf`, stream: renderNotePdf(model) };
}
