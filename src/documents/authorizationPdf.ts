import PDFDocument from 'pdfkit';
import { mapStrings, pickFonts, toWinAnsi } from './notePdf.js';
import { stampPageFrame, FRAME_MUTED } from './pdfPageFrame.js';

/** Everything printed on a consent or authorization form, resolved and formatted by the caller. */
export interface AuthorizationModel {
  practice: { name: string };
  client: { displayName: string; clientCode: string; dateOfBirth: string };
  kind:
    | 'treatment'
    | 'telehealth'
    | 'financial_policy'
    | 'recording_ai'
    | 'release_of_information'
    | 'psychotherapy_note_authorization';
  title: string;
  /** Release kinds only. */
  recipient: { name: string; contact: string } | null;
  purpose: string | null;
  /** Labels of what may be released. */
  categories: string[];
  recordsPeriod: string | null;
  effectiveOn: string;
  /** 'on 2027-06-30' or the expiry event. */
  expires: string | null;
  part2: boolean;
  part2Notice: string | null;
  notes: string | null;
  /** The signature as recorded; null prints blank signature lines to sign on paper. */
  signed: {
    on: string;
    name: string;
    signer: 'client' | 'guardian';
    relationship: string | null;
    method: 'typed' | 'drawn' | 'paper';
    png: Buffer | null;
  } | null;
  revokedOn: string | null;
  generated: { at: string; by: string };
}

const MARGIN = 54;
const BODY = 10;
const SMALL = 8.5;

const CARE_TEXT: Record<string, string> = {
  treatment:
    'I consent to assessment and treatment by the practice named above. I have been told about the nature of the services, their benefits and risks, the limits of confidentiality (including the duty to report abuse and to protect people from serious harm), and my right to ask questions and to stop treatment at any time.',
  telehealth:
    'I consent to receive services by secure video or telephone. I understand the benefits and risks of telehealth, including the possibility of technical failure, that I should take part from a private place, and that in an emergency I should call 911 or go to the nearest emergency room.',
  financial_policy:
    "I have read the practice's financial policy, including fees, insurance billing, co-payments, the late-cancellation and missed-appointment policy, and how to ask about a good-faith estimate. I agree to pay for services as described.",
  recording_ai:
    'I consent to my sessions being recorded, or processed by AI-assisted documentation tools, only to help my clinician write my record. Recordings are not part of my record, are deleted once the note is written, and I may withdraw this consent at any time without any effect on my care.',
};

/**
 * A consent or authorization form as a Letter-size PDF: for a release, the core elements and
 * required statements of 45 CFR 164.508(c) (and 42 CFR 2.31 for a Part 2 consent), then the
 * signature lines (or the recorded signature). Returns the document, already ended.
 */
export function renderAuthorizationPdf(
  input: AuthorizationModel,
  options: { compress?: boolean } = {},
): NodeJS.ReadableStream {
  const fonts = pickFonts();
  const png = input.signed?.png ?? null;
  const model = fonts.unicode
    ? input
    : mapStrings({ ...input, signed: input.signed ? { ...input.signed, png: null } : null }, toWinAnsi);
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: MARGIN,
    bufferPages: true,
    compress: options.compress ?? true,
    displayTitle: true,
    info: { Title: input.title, Creator: 'Casebook' },
  });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const width = doc.page.width - 2 * MARGIN;
  const body = (text: string) =>
    doc.font('regular').fontSize(BODY).fillColor('black').text(text, MARGIN, doc.y, { width });
  const heading = (text: string) => {
    doc.moveDown(0.6);
    doc.font('bold').fontSize(11).fillColor('black').text(text, MARGIN, doc.y, { width });
    doc.moveDown(0.2);
  };
  const field = (label: string, value: string) => {
    doc.font('bold').fontSize(BODY).text(`${label}: `, MARGIN, doc.y, { width, continued: true });
    doc.font('regular').text(value || '—');
  };
  const release =
    model.kind === 'release_of_information' || model.kind === 'psychotherapy_note_authorization';

  doc.font('bold').fontSize(16).text(model.title, MARGIN, MARGIN, { width });
  doc.font('regular').fontSize(SMALL).fillColor(FRAME_MUTED).text(model.practice.name, { width });
  doc.fillColor('black').moveDown(0.8);
  field('Client', model.client.displayName);
  field('Date of birth', model.client.dateOfBirth);
  field('Record number', model.client.clientCode);
  if (model.revokedOn) {
    doc.moveDown(0.4);
    doc
      .font('bold')
      .fillColor('#a00000')
      .text(`REVOKED — no longer in effect from ${model.revokedOn}.`, { width });
    doc.fillColor('black');
  }

  if (release) {
    heading('1. Who may disclose');
    body(model.practice.name);
    heading('2. To whom');
    body(`${model.recipient?.name ?? '—'}\n${model.recipient?.contact ?? ''}`);
    heading('3. What may be disclosed');
    body(model.categories.length > 0 ? model.categories.join('; ') : '—');
    if (model.recordsPeriod) body(`Records dated ${model.recordsPeriod}.`);
    if (model.kind === 'psychotherapy_note_authorization')
      body(
        'This authorization covers psychotherapy notes only. It is a separate authorization and is not combined with an authorization for any other information.',
      );
    heading('4. Purpose');
    body(model.purpose ?? '—');
    heading('5. Effective and expiry');
    body(`Effective ${model.effectiveOn}. This authorization expires ${model.expires ?? '—'}.`);
    heading('6. Your rights');
    body(
      `You may revoke this authorization at any time by telling ${model.practice.name} in writing. A revocation does not undo a release already made in reliance on this authorization.`,
    );
    body(
      'Your treatment, payment, enrollment or eligibility for benefits will not be conditioned on whether you sign this authorization.',
    );
    body(
      model.part2
        ? 'Information disclosed under this authorization may be redisclosed by the recipient and may no longer be protected by federal privacy rules, except as stated below.'
        : 'Information disclosed under this authorization may be redisclosed by the recipient and may no longer be protected by federal privacy rules.',
    );
    body('You are entitled to a copy of this authorization.');
    if (model.part2) {
      heading('7. Substance use disorder records (42 CFR Part 2)');
      body(
        'This is a consent under 42 CFR part 2. It allows the release of records protected by 42 CFR part 2 as described above. Each release made under it carries this notice to the recipient:',
      );
      if (model.part2Notice) {
        doc.moveDown(0.2);
        doc
          .font('regular')
          .fontSize(SMALL)
          .text(model.part2Notice, MARGIN + 12, doc.y, { width: width - 24 });
        doc.fontSize(BODY);
      }
    }
  } else {
    heading('Consent');
    body(CARE_TEXT[model.kind] ?? '');
    body(
      `Effective ${model.effectiveOn}${model.expires ? `; expires ${model.expires}` : ''}. You may withdraw this consent at any time.`,
    );
  }
  if (model.notes) {
    heading('Notes');
    body(model.notes);
  }

  heading('Signature');
  if (model.signed) {
    const who =
      model.signed.signer === 'guardian'
        ? `${model.signed.name} (${model.signed.relationship ?? 'guardian'}) on behalf of the client`
        : model.signed.name;
    body(
      `Signed by ${who} on ${model.signed.on} (${model.signed.method === 'drawn' ? 'drawn signature' : model.signed.method === 'typed' ? 'typed signature' : 'signed on paper'}).`,
    );
    if (png) {
      doc.moveDown(0.3);
      try {
        doc.image(png, MARGIN, doc.y, { fit: [220, 70] });
        doc.y += 74;
      } catch {
        body('(The drawn signature could not be printed.)');
      }
    }
  } else {
    const line = (label: string) => {
      doc.moveDown(1.6);
      const y = doc.y;
      doc
        .moveTo(MARGIN, y)
        .lineTo(MARGIN + 300, y)
        .lineWidth(0.6)
        .strokeColor('black')
        .stroke();
      doc
        .moveTo(MARGIN + 330, y)
        .lineTo(MARGIN + width, y)
        .stroke();
      doc
        .font('regular')
        .fontSize(SMALL)
        .text(label, MARGIN, y + 3, { width: 300 });
      doc.text('Date', MARGIN + 330, y + 3, { width: width - 330 });
      doc.fontSize(BODY);
    };
    line('Signature of client');
    line('Printed name');
    line('Signature of parent, guardian or personal representative (if the client does not sign)');
    line('Relationship / authority to act for the client');
  }

  stampPageFrame(doc, MARGIN, {
    running: `${model.client.displayName} (${model.client.clientCode}) — ${model.title}`,
    footerLead: 'Confidential health information',
    footerSecond: `Printed ${model.generated.at} by ${model.generated.by}`,
  });
  doc.end();
  return doc;
}
