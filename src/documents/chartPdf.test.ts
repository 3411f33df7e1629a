import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pdfPageCount, pdfText } from '../../test/support/pdfText.js';
import {
  chartFixture,
  largeChartFixture,
  LONG_ASSESSMENT,
  PDF_AMENDMENT_CHANGE,
  PDF_DENIAL_TEXT,
  PDF_DISAGREEMENT_TEXT,
  PDF_PLAN_AMENDMENT_CHANGE,
} from '../../test/support/chartPdfFixture.js';
import { amendmentTravelsWith } from '../domain/recordRequests.js';
import {
  ADDENDUM_TEXT,
  chartExportFixture,
  NOTE1_ASSESSMENT,
  PSYCHOTHERAPY_TEXT,
  withPsychotherapyNote,
} from '../../test/support/chartExportFixture.js';
import type { ChartExport } from '../services/chartExport/chartExportTypes.js';
import type { ReleaseCategory } from '../domain/releaseScope.js';
import { renderChartPdf, writeChartPdf } from './chartPdf.js';

const PART2 =
  '42 CFR part 2 prohibits unauthorized use or disclosure of these records. This information has been disclosed ' +
  'to you from records protected by federal confidentiality rules (42 CFR part 2).';

/** Text without whitespace: lines wrap wherever the width ends, so compare the characters only. */
const squash = (s: string) => s.replace(/\s+/g, '');

/** The text of each page: every page's footer is drawn first, so a page runs from one "Page n of m" to the next. */
function pagesOf(text: string): Map<number, string> {
  const pages = new Map<number, string>();
  const marks = [...text.matchAll(/Page (\d+) of \d+/g)];
  marks.forEach((m, i) => pages.set(Number(m[1]), text.slice(m.index, marks[i + 1]?.index ?? text.length)));
  return pages;
}

/** The text without the page frame (page number, running header, footer, continuation line). */
function bodyText(text: string): string {
  return text
    .split('\n')
    .filter(
      (line) =>
        !/^Page \d+ of \d+$/.test(line) &&
        !line.endsWith('— Clinical record — Riverside Counseling') &&
        line !== 'Confidential health information' &&
        !line.startsWith('Marisol Quintero, born 1991-03-14 — prepared') &&
        !line.endsWith('(continued)'),
    )
    .join('\n');
}

/** What loadChartForExport leaves of the record for a narrower scope. */
function scopedTo(chart: ChartExport, categories: ReleaseCategory[]): ChartExport {
  const has = (c: ReleaseCategory) => categories.includes(c);
  const client = has('demographics')
    ? chart.client
    : {
        ...chart.client,
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
    ...chart,
    scope: { ...chart.scope, categories },
    client,
    contacts: has('demographics') ? chart.contacts : [],
    consents: has('demographics') ? chart.consents : [],
    background: has('progress_notes') ? chart.background : null,
    diagnoses: has('diagnoses') ? chart.diagnoses : [],
    planVersions: has('plans') ? chart.planVersions : [],
    sessions: has('progress_notes') || has('billing') ? chart.sessions : [],
    notes: has('progress_notes') ? chart.notes : [],
    goalRatings: has('progress_notes') && has('plans') ? chart.goalRatings : [],
    measures: has('measures') ? chart.measures : [],
    riskAlerts: has('measures') ? chart.riskAlerts : [],
    annotations: has('measures') ? chart.annotations : [],
    psychotherapyNotes: has('psychotherapy_notes') ? chart.psychotherapyNotes : [],
    amendments: chart.amendments.filter((a) =>
      amendmentTravelsWith(
        a.target,
        new Set(categories),
        new Set(has('progress_notes') ? chart.notes.map((n) => n.id) : []),
      ),
    ),
  };
}

const SECTIONS = [
  'Demographics and contacts',
  'Background history',
  'Diagnoses',
  'Treatment plan',
  'Sessions',
  'Progress notes',
  'Goal progress ratings',
  'Outcome measures',
  'Annotations',
  'Amendment requests',
  'Consents and authorizations',
];

describe('renderChartPdf', { timeout: 60_000 }, () => {
  it('prints the cover, a contents list with the right pages, every section in order and "Page n of m" on every page', async () => {
    const pdf = await renderChartPdf(chartFixture());
    const raw = pdf.toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
    expect(raw.trimEnd().endsWith('%%EOF')).toBe(true);
    // The client is never named in the metadata viewers and indexers show.
    expect(raw).toMatch(/\/Title \d+ 0 R/);
    expect(raw).not.toContain('Quintero');

    const text = pdfText(pdf);
    const flat = squash(text);
    const pages = pdfPageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(8);
    const byPage = pagesOf(text);
    expect([...byPage.keys()]).toEqual(Array.from({ length: pages }, (_, i) => i + 1));
    for (const [n, page] of byPage) {
      expect(page.startsWith(`Page ${n} of ${pages}`)).toBe(true);
      expect(page).toContain('Confidential health information');
      if (n > 1)
        expect(page).toContain('Marisol Quintero (C-7KQ4M2) — Clinical record — Riverside Counseling');
    }

    const cover = byPage.get(1) ?? '';
    for (const [label, value] of [
      ['Client', 'Marisol Quintero (preferred name: Mari)'],
      ['Date of birth', '1991-03-14'],
      ['Record number', 'C-7KQ4M2'],
      ['Record period', '2026-09-01 to 2026-11-27'],
      ['Prepared for', 'Dr. Alex Chen, Lakeside Psychiatry'],
      ['Purpose', 'Release of information to another provider'],
      ['Prepared on', '2026-11-27 16:20 EST'],
      ['Prepared by', 'Dana Reyes, LCSW'],
    ])
      expect(squash(cover), label).toContain(squash(`${label}: ${value}`));
    for (const category of [
      'Demographics',
      'Diagnoses',
      'Treatment plans',
      'Progress notes',
      'Outcome measures',
      'Billing',
    ])
      expect(cover).toContain(`•  ${category}`);
    expect(squash(cover)).toContain(
      squash('Psychotherapy notes (a clinician’s separate process notes, 45 CFR 164.501) are not included.'),
    );
    expect(cover).not.toContain('•  Psychotherapy notes');

    // Contents: each section with the page its heading is printed on; the headings follow in that order.
    const contents = byPage.get(2) ?? '';
    let previous = 0;
    for (const title of SECTIONS) {
      const listed = new RegExp(`\\n${title}\\n(\\d+)\\n`).exec(contents);
      expect(listed, title).not.toBeNull();
      const page = Number(listed?.[1]);
      expect(page, title).toBeGreaterThanOrEqual(previous);
      const onPage = byPage.get(page) ?? '';
      // On the contents page itself the title is listed once and printed again as the heading.
      expect(onPage.split(`\n${title}\n`).length - 1, title).toBeGreaterThanOrEqual(page === 2 ? 2 : 1);
      previous = page;
    }
    expect(flat).toContain(
      squash(
        'Version 2. Electronically signed by Dana Reyes, LCSW, License LCSW-12345 on 2026-09-10 12:30 EDT. Review due 2026-12-02.',
      ),
    );
    expect(flat).toContain(
      squash('Acknowledged by Marisol Quintero on 2026-09-10, in person, with a drawn signature'),
    );
    expect(flat).toContain(squash('Goal 1 — Active'));
    expect(flat).toContain(
      squash(
        'Objective 1.1: Schedule two pleasant activities a week. — Active, by 2026-12-15 (activity log)',
      ),
    );
    expect(flat).toContain(squash('F41.1'));
    expect(text).toContain('Entered in');
    expect(text).toContain('Patient Health Questionnaire (PHQ-9)');
    expect(text).toContain('Goal 1: below 10');
    expect(text).toMatch(/2026-09-03\n18\nModerately severe\nDana Reyes, LCSW\nPositive/);
    expect(flat).toContain(squash('1. 2026-10-05 — Started sertraline 50 mg'));
    expect(flat).toContain(squash('Authorization to release records'));
  });

  it('prints notes in date order, each with its session facts, fields, signature, co-signature and addenda after it', async () => {
    const chart = chartFixture();
    // Given out of order: the chart sorts them by date of service.
    chart.notes.reverse();
    const text = pdfText(await renderChartPdf(chart));
    const flat = squash(text);
    const at = (s: string, from = 0) => flat.indexOf(squash(s), from);

    const dates = [
      '2026-09-03',
      '2026-09-10',
      '2026-09-17',
      '2026-09-24',
      '2026-10-01',
      '2026-10-08',
      '2026-10-22',
      '2026-11-05',
    ];
    const starts = dates.map((d) => at(`${d} — Progress note (SOAP)Date`));
    for (let i = 0; i < starts.length; i++) {
      expect(starts[i], dates[i]).toBeGreaterThan(0);
      if (i > 0) expect(starts[i], dates[i]).toBeGreaterThan(starts[i - 1] ?? 0);
    }
    // Session facts as a table, then each field under its label.
    expect(text).toMatch(
      /Date\nTime\nMinutes\nModality\nLocation\nService\n2026-09-17\n11:02–11:55\n53\nVideo\nClient at home\nIndividual\nCPT 90834/,
    );
    expect(flat).toContain(squash('Client reportSession 2: client reports the week was "a bit lighter"'));
    expect(flat).toContain(squash('Clinical assessmentParagraph 1 of the assessment.'));
    // The long field runs on across pages whole, with nothing lost at the breaks.
    expect(squash(bodyText(text))).toContain(squash(`Clinical assessment${LONG_ASSESSMENT}Plan`));

    // The 2026-09-10 note: its signature and hash, then its addendum with its own signature, then the next note.
    const note = starts[1] ?? 0;
    const signed = at(
      'Electronically signed by Dana Reyes, LCSW, License LCSW-12345 on 2026-09-10 13:00 EDT',
      note,
    );
    const hash = at(`Content hash sha256:${'01'.repeat(32)}`, note);
    const addendum = at('Addendum 1 to the note of 2026-09-10ReasonCorrection of medication name', note);
    const addendumSigned = at(
      'Electronically signed by Dana Reyes, LCSW, License LCSW-12345 on 2026-09-12 10:00 EDT',
      note,
    );
    expect(signed).toBeGreaterThan(note);
    expect(hash).toBeGreaterThan(signed);
    expect(addendum).toBeGreaterThan(hash);
    expect(
      at('The medication discussed was sertraline 50 mg, not 25 mg as written above.', addendum),
    ).toBeGreaterThan(addendum);
    expect(addendumSigned).toBeGreaterThan(addendum);
    expect(addendumSigned).toBeLessThan(starts[2] ?? 0);
    // Its amendment request after the addendum: request, denial, the client's statement, the rebuttal.
    const amendment = at('Amendment request about the note of 2026-09-10Received: 2026-09-20', note);
    expect(amendment).toBeGreaterThan(addendumSigned);
    const order = [
      `Change requested${PDF_AMENDMENT_CHANGE}`,
      'Decision: Denied on 2026-09-30 by Dana Reyes',
      'Ground for denial: Accurate and complete',
      `Denial letter${PDF_DENIAL_TEXT}`,
      `Client's statement of disagreement (received 2026-10-02)${PDF_DISAGREEMENT_TEXT}`,
      "Practice's rebuttal (received 2026-10-05)",
    ].map((s) => at(s, amendment));
    for (const [i, pos] of order.entries()) expect(pos, String(i)).toBeGreaterThan(order[i - 1] ?? amendment);
    expect(order.at(-1)).toBeLessThan(starts[2] ?? 0);
    // The plan's request is in its own section, not with a note.
    expect(
      at(`About: Treatment plan (version 2)Received: 2026-11-10Change requested${PDF_PLAN_AMENDMENT_CHANGE}`),
    ).toBeGreaterThan(starts[7] ?? 0);
    expect(flat).toContain(squash('Decision: Open — not yet decided'));

    // The supervisee's note: signed by her, co-signed by the supervisor.
    const supervised = starts[6] ?? 0;
    expect(
      at('Electronically signed by Jordan Lee, LMSW on 2026-10-22 13:00 EDT', supervised),
    ).toBeGreaterThan(supervised);
    expect(
      at(
        'Electronically co-signed by Sam Okafor, LCSW-S, License LCSW-88120 on 2026-10-23 09:30 EDT (supervisor)',
        supervised,
      ),
    ).toBeLessThan(starts[7] ?? 0);
    expect(at('Late entry', starts[7])).toBeGreaterThan(starts[7] ?? 0);
    // A note carried onto the next page says so at the top of it.
    expect(text).toContain('2026-09-24 — Progress note (SOAP) (continued)');
  });

  it('repeats the 42 CFR Part 2 notice on the cover and in every footer of a Part 2 record, and never prints it otherwise', async () => {
    const chart = chartFixture();
    chart.part2Notice = PART2;
    const pdf = await renderChartPdf(chart);
    const text = pdfText(pdf);
    const pages = pdfPageCount(pdf);
    expect(squash(pagesOf(text).get(1) ?? '')).toContain(
      squash(`Notice to the recipient: 42 CFR Part 2${PART2}`),
    );
    for (const [n, page] of pagesOf(text)) expect(squash(page), `page ${n}`).toContain(squash(PART2));
    expect(squash(text).split(squash(PART2)).length - 1).toBe(pages + 1);

    const plain = squash(pdfText(await renderChartPdf(chartFixture())));
    expect(plain).not.toContain(squash('42 CFR part 2'));
    expect(plain).not.toContain(squash('42 CFR Part 2'));
  });

  it('leaves out entirely the sections of categories the release does not cover', async () => {
    const chart = scopedTo(chartFixture(), ['diagnoses', 'plans']);
    chart.scope.recipient = 'Dr. Priya Natarajan (primary care)';
    const pdf = await renderChartPdf(chart);
    const text = pdfText(pdf);
    const cover = pagesOf(text).get(1) ?? '';
    expect(cover).toContain('•  Diagnoses');
    expect(cover).toContain('•  Treatment plans');
    for (const absent of ['Demographics', 'Progress notes', 'Outcome measures', 'Billing'])
      expect(cover).not.toContain(`•  ${absent}`);
    expect(text).toMatch(/\nDiagnoses\n\d+\n/);
    expect(text).toMatch(/\nTreatment plan\n\d+\n/);
    for (const absent of [
      'Demographics and contacts',
      'Background history',
      'Sessions',
      'Progress notes',
      'Goal progress ratings',
      'Outcome measures',
      'Annotations',
      'Consents and authorizations',
      'Psychotherapy notes\n',
    ])
      expect(text, absent).not.toContain(absent);
    for (const leaked of [
      'Electronically signed by Dana Reyes, LCSW, License LCSW-12345 on 2026-09-03 13:00',
      'Session 0:',
      '555-0142',
      'Lucia',
      PDF_AMENDMENT_CHANGE,
      PDF_DISAGREEMENT_TEXT,
    ])
      expect(squash(text), leaked).not.toContain(squash(leaked));
    // The plan's amendment request travels with the plan.
    expect(squash(text)).toContain(squash(PDF_PLAN_AMENDMENT_CHANGE));
    // Who the record is about is still said.
    expect(squash(cover)).toContain(squash('Client: Marisol Quintero'));
  });

  it('prints psychotherapy notes only under a psychotherapy-note authorization, never because they are in the data', async () => {
    const chart = chartFixture();
    chart.psychotherapyNotes = [
      {
        id: 'pn-1',
        authorId: 'u-dana',
        sessionId: 's-1',
        dateOfService: '2026-09-10',
        text: 'PROCESS-NOTE-ONLY: countertransference when she spoke of her father.',
        createdAt: '2026-09-10T17:00:00.000Z',
        updatedAt: '2026-09-10T17:00:00.000Z',
      },
    ];
    // A release that does not cover them prints none of them, whatever it was handed.
    const release = pdfText(await renderChartPdf(chart));
    expect(release).not.toContain('PROCESS-NOTE-ONLY');
    expect(release).not.toContain('Psychotherapy note\n');

    const authorized = scopedTo(chart, ['psychotherapy_notes']);
    const text = pdfText(await renderChartPdf(authorized));
    const flat = squash(text);
    expect(flat).toContain(
      squash('Psychotherapy notes are included, under an authorization specific to psychotherapy notes.'),
    );
    expect(flat).toContain(squash('2026-09-10 — Psychotherapy notePROCESS-NOTE-ONLY: countertransference'));
    expect(text).not.toContain('Progress notes');
  });

  it('streams a 200-note chart into a slow writer, paginated and numbered throughout, and ends it', async () => {
    const chart = largeChartFixture(200);
    const chunks: Buffer[] = [];
    let writes = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        writes++;
        setImmediate(done);
      },
    });
    await writeChartPdf(chart, slow);
    expect(slow.writableFinished).toBe(true);
    expect(writes).toBeGreaterThan(10);
    const pdf = Buffer.concat(chunks);
    const pages = pdfPageCount(pdf);
    expect(pages).toBeGreaterThan(100);
    const text = pdfText(pdf);
    const byPage = pagesOf(text);
    expect(byPage.size).toBe(pages);
    for (const [n, page] of byPage) expect(page.startsWith(`Page ${n} of ${pages}`)).toBe(true);
    const headings = [...text.matchAll(/^(\d{4}-\d\d-\d\d) — Progress note \(SOAP\)$/gm)].map((m) => m[1]);
    expect(headings).toHaveLength(200);
    expect(headings).toEqual([...headings].sort());
    // Every note signed, and the two plan versions.
    expect(squash(text).split(squash('Electronically signed by Dana Reyes')).length - 1).toBe(
      200 + chart.planVersions.length,
    );
  });

  it('prints the shared export fixture: its note, then its addendum, and no psychotherapy note unless that alone is authorized', async () => {
    const release = squash(pdfText(await renderChartPdf(chartExportFixture())));
    const note = release.indexOf(squash(NOTE1_ASSESSMENT));
    expect(note).toBeGreaterThan(0);
    expect(release.indexOf(squash(ADDENDUM_TEXT))).toBeGreaterThan(note);
    expect(release).not.toContain(squash(PSYCHOTHERAPY_TEXT));

    // The snapshot still holds the rest of the record here; a psychotherapy-note authorization prints none of it.
    const authorized = squash(pdfText(await renderChartPdf(withPsychotherapyNote(chartExportFixture()))));
    expect(authorized).toContain(squash(PSYCHOTHERAPY_TEXT));
    for (const other of [
      NOTE1_ASSESSMENT,
      ADDENDUM_TEXT,
      'Started new job',
      'fax 555-0199',
      'Persistent worry',
      'Progress notes',
    ])
      expect(authorized, other).not.toContain(squash(other));
  });
});
