import { describe, expect, it } from 'vitest';
import { pdfObjects, pdfText } from '../../test/support/pdfText.js';
import { renderNotePdf, signatureLine, type NotePdfModel, type SignatureBlock } from './notePdf.js';

const paragraph = (sentences: number) =>
  Array.from(
    { length: sentences },
    (_, i) =>
      `Sentence ${i + 1}: the client described sleep (5–6 h), appetite and work stress in some detail.`,
  ).join(' ');

const signer: SignatureBlock = {
  name: 'Dana Reyes',
  credentials: 'LCSW',
  licenseNumber: 'LCS-004512',
  signedAt: '2026-11-30 09:12 EST',
  role: 'Signed',
};
const cosigner: SignatureBlock = {
  name: 'Omar Haddad',
  credentials: 'PhD',
  licenseNumber: null,
  signedAt: '2026-11-30 11:40 EST',
  role: 'Co-signed',
};

const model: NotePdfModel = {
  practice: { name: 'Riverside Counseling' },
  client: { displayName: 'Marisol Quintero', clientCode: 'C-7KQ4M2', dateOfBirth: '1991-03-14' },
  note: {
    title: 'Progress note',
    kindLabel: 'SOAP',
    dateOfService: '2026-11-27',
    start: '13:00',
    end: '13:53',
    minutes: 53,
    modality: 'Telehealth (video)',
    location: 'Client home',
    placeOfService: '10',
    participants: ['Client'],
    cptCodes: ['90834'],
    diagnoses: [{ code: 'F41.1', title: 'Generalized anxiety disorder' }],
    lateEntry: { signedOn: '2026-11-30' },
  },
  sections: [
    { title: 'Subjective', lines: [{ label: 'Chief complaint', text: paragraph(30) }] },
    { title: 'Objective', lines: [{ label: 'Mental status', text: paragraph(30) }] },
    { title: 'Assessment', lines: [{ label: '', text: paragraph(30) }] },
    { title: 'Plan', lines: [{ label: 'Next session', text: paragraph(20) }] },
  ],
  signatures: [signer, cosigner],
  addenda: [
    {
      reason: 'Correction of PHQ-9 score',
      text: paragraph(3),
      signature: { ...signer, signedAt: '2026-12-01 08:00 EST' },
    },
    {
      reason: 'Collateral information received',
      text: paragraph(3),
      signature: { ...signer, credentials: null },
    },
  ],
  contentHash: '9f2c4e1ab37d55e0c8a1f4b2d6e7c9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6',
  printed: { at: '2026-12-03 16:20 EST', by: 'Dana Reyes' },
};

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

describe('renderNotePdf', () => {
  it('writes a complete PDF over several pages, compressed by default', async () => {
    const pdf = await collect(renderNotePdf(model));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
    expect(pdf.toString('latin1')).toContain('/FlateDecode');
  });

  it('prints the sections, signatures, addenda and a numbered footer on every page', async () => {
    const raw = (await collect(renderNotePdf(model, { compress: false }))).toString('latin1');
    const pages = raw.match(/\/Type \/Page\n/g)?.length ?? 0;
    expect(pages).toBeGreaterThanOrEqual(3);

    const text = pdfText(Buffer.from(raw, 'latin1'));
    expect(text).toContain('Riverside Counseling');
    expect(text).toContain('Progress note — SOAP');
    expect(text).toContain('C-7KQ4M2');
    expect(text).toContain('F41.1  Generalized anxiety disorder');
    expect(text).toContain('Late entry — signed on 2026-11-30');
    for (const title of ['Subjective', 'Objective', 'Assessment', 'Plan', 'Addendum 1', 'Addendum 2']) {
      expect(text).toContain(title);
    }
    expect(text).toContain(
      'Electronically signed by Dana Reyes, LCSW, License LCS-004512 on 2026-11-30 09:12 EST',
    );
    expect(text).toContain('Electronically co-signed by Omar Haddad, PhD on 2026-11-30 11:40 EST');
    expect(text).toContain('Electronically signed by Dana Reyes, License LCS-004512 on 2026-11-30 09:12 EST');
    expect(text.indexOf('Correction of PHQ-9 score')).toBeGreaterThan(
      text.indexOf('Electronically co-signed'),
    );
    expect(text.indexOf('Collateral information received')).toBeGreaterThan(
      text.indexOf('Correction of PHQ-9'),
    );
    for (let page = 1; page <= pages; page++) {
      expect(text).toContain(`Confidential health information — page ${page} of ${pages}`);
    }
    expect(text.match(/Content hash 9f2c4e1ab37d55e0…/g)).toHaveLength(pages);
  });

  it('puts the note title, and never the client, in the metadata', async () => {
    const raw = (await collect(renderNotePdf(model, { compress: false }))).toString('latin1');
    const objects = pdfObjects(Buffer.from(raw, 'latin1'));
    const titleRef = /\/Title (\d+) 0 R/.exec(raw);
    expect(objects.get(Number(titleRef?.[1]))).toBe('(Progress note)');
    // Drawn text is glyph ids, so a client name in plain bytes could only come from metadata.
    expect(raw).not.toContain('Quintero');
    expect(raw).not.toContain('C-7KQ4M2');
  });

  it('prints the goal ratings after the sections and before the signatures, only when there are any', async () => {
    const rated: NotePdfModel = {
      ...model,
      sections: [{ title: 'Plan', lines: [{ label: 'Next session', text: 'Weekly.' }] }],
      goalProgress: [
        {
          statement: 'Reduce depressive symptoms',
          rating: 'Some progress',
          comment: 'Used the breathing plan twice',
          newStatus: null,
        },
        { statement: 'Return to the gym', rating: '7 of 10', comment: '', newStatus: 'Achieved' },
      ],
    };
    const text = pdfText(await collect(renderNotePdf(rated, { compress: false })));
    const heading = text.indexOf('Progress toward treatment-plan goals');
    expect(heading).toBeGreaterThan(text.indexOf('Next session'));
    expect(text.indexOf('Goal 1. Reduce depressive symptoms')).toBeGreaterThan(heading);
    expect(text).toContain('Some progress');
    expect(text).toContain('Used the breathing plan twice');
    expect(text.indexOf('Goal 2. Return to the gym')).toBeGreaterThan(text.indexOf('Some progress'));
    expect(text).toContain('7 of 10');
    expect(text).toContain('Achieved');
    expect(text.match(/Comment: /g)).toHaveLength(1);
    expect(text.match(/New status: /g)).toHaveLength(1);
    expect(text.indexOf('Electronically signed by')).toBeGreaterThan(text.indexOf('Achieved'));
    const unrated = pdfText(await collect(renderNotePdf(model, { compress: false })));
    expect(unrated).not.toContain('Progress toward treatment-plan goals');
  });

  it('words signature lines from whatever credentials are on file', () => {
    expect(signatureLine(signer)).toBe(
      'Electronically signed by Dana Reyes, LCSW, License LCS-004512 on 2026-11-30 09:12 EST',
    );
    expect(signatureLine({ ...cosigner, credentials: null })).toBe(
      'Electronically co-signed by Omar Haddad on 2026-11-30 11:40 EST',
    );
  });
});
