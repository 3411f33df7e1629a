import { once } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ChartExport } from '../services/chartExport/chartExportTypes.js';
import { mapStrings, pickFonts, toWinAnsi, type Fonts } from './notePdf.js';
import { inScope, recipientLabel, shortClientName, when } from './chartPdf/chartFormat.js';
import { ChartWriter, type PageFrame, type SectionStart } from './chartPdf/chartWriter.js';
import { CHART_TITLE, writeContents, writeCover } from './chartPdf/coverPage.js';
import { writeNotes, writePsychotherapyNotes, writeSessions } from './chartPdf/noteSections.js';
import {
  writeAnnotations,
  writeConsents,
  writeGoalRatings,
  writeImportedDocuments,
  writeMeasures,
} from './chartPdf/progressSections.js';
import { writeBackground, writeDemographics, writeDiagnoses, writePlan } from './chartPdf/recordSections.js';
import { recordAmendments, writeAmendmentRequests } from './chartPdf/amendmentSections.js';

// The readable PDF chart of one client's record: for a release to another provider, the client's
// own copy and the whole-practice export. It prints the ChartExport snapshot and nothing else, so
// what the scope left out was never read. Two passes: the first lays the chart out into nothing to
// learn the page count and where each section starts; the second writes it with "Page n of m" and
// the contents filled in. Neither buffers pages, so memory stays flat however long the chart.

export interface ChartPdfOptions {
  /** Deflate page content (default true); tests turn it off to read the raw PDF. */
  compress?: boolean;
}

type Checkpoint = () => Promise<void>;

interface SectionPlan {
  id: string;
  title: string;
  write: (w: ChartWriter, chart: ChartExport, checkpoint: Checkpoint) => void | Promise<void>;
}

/**
 * The sections the scope covers, in print order; a category outside the scope has no section at
 * all. Each is gated on the scope itself as well as on the data, so a snapshot that carried more
 * than its scope (a loader bug) still prints only what the release covers.
 */
export function chartSections(chart: ChartExport): SectionPlan[] {
  const demographics = inScope(chart, 'demographics');
  const notes = inScope(chart, 'progress_notes');
  const measures = inScope(chart, 'measures');
  const all: (SectionPlan | false)[] = [
    demographics && {
      id: 'demographics',
      title: 'Demographics and contacts',
      write: writeDemographics,
    },
    notes &&
      chart.background !== null && { id: 'background', title: 'Background history', write: writeBackground },
    inScope(chart, 'diagnoses') && { id: 'diagnoses', title: 'Diagnoses', write: writeDiagnoses },
    inScope(chart, 'plans') && { id: 'plan', title: 'Treatment plan', write: writePlan },
    (notes || inScope(chart, 'billing')) && { id: 'sessions', title: 'Sessions', write: writeSessions },
    notes && { id: 'notes', title: 'Progress notes', write: writeNotes },
    notes &&
      inScope(chart, 'plans') &&
      chart.goalRatings.length > 0 && {
        id: 'goal-ratings',
        title: 'Goal progress ratings',
        write: writeGoalRatings,
      },
    measures && { id: 'measures', title: 'Outcome measures', write: writeMeasures },
    measures &&
      chart.annotations.length > 0 && { id: 'annotations', title: 'Annotations', write: writeAnnotations },
    recordAmendments(chart).length > 0 && {
      id: 'amendments',
      title: 'Amendment requests',
      write: writeAmendmentRequests,
    },
    demographics && {
      id: 'consents',
      title: 'Consents and authorizations',
      write: writeConsents,
    },
    inScope(chart, 'psychotherapy_notes') && {
      id: 'psychotherapy-notes',
      title: 'Psychotherapy notes',
      write: writePsychotherapyNotes,
    },
    notes &&
      chart.importedDocuments.length > 0 && {
        id: 'imported',
        title: 'Documents from other systems',
        write: writeImportedDocuments,
      },
  ];
  return all.filter((s): s is SectionPlan => s !== false);
}

function pageFrame(chart: ChartExport, totalPages: number | null): PageFrame {
  const name = shortClientName(chart);
  return {
    header: `${name} (${chart.client.clientCode}) — ${CHART_TITLE} — ${chart.practice.name}`,
    confidentiality: 'Confidential health information',
    prepared: `${name}, born ${chart.client.dateOfBirth} — prepared ${when(chart, chart.exportedAt)} for ${recipientLabel(chart)}`,
    part2Notice: chart.part2Notice,
    totalPages,
  };
}

/** Room the reader must make before the writer goes on: pdfkit pushes whatever it is given. */
const HIGH_WATER = 1 << 20;

interface Pass {
  pages: number;
  sections: SectionStart[];
}

/** Lays the whole chart out into `out`; resolves once `out` has taken all of it (and ended). */
async function writePass(
  chart: ChartExport,
  fonts: Fonts,
  out: NodeJS.WritableStream,
  options: { compress: boolean; first: Pass | null },
): Promise<Pass> {
  const w = new ChartWriter({
    fonts,
    frame: pageFrame(chart, options.first?.pages ?? null),
    title: CHART_TITLE,
    compress: options.compress,
  });
  const doc = w.doc;
  const written = pipeline(doc, out);
  const checkpoint: Checkpoint = async () => {
    w.trimFontCaches();
    while (doc.readableLength > HIGH_WATER) await once(doc, 'data');
  };
  try {
    const sections = chartSections(chart);
    writeCover(w, chart);
    const pages = options.first ? new Map(options.first.sections.map((s) => [s.id, s.page])) : null;
    writeContents(w, sections, pages);
    for (const section of sections) {
      w.section(section.id, section.title);
      await section.write(w, chart, checkpoint);
      await checkpoint();
    }
    doc.end();
  } catch (err) {
    doc.destroy(err instanceof Error ? err : new Error(String(err)));
    await written.catch(() => undefined);
    throw err;
  }
  await written;
  return { pages: w.page, sections: w.sections };
}

/**
 * Writes the chart as a Letter-size PDF into `out` and ends it. Memory stays bounded: pages go out
 * as they are finished, and the writer waits whenever `out` is behind.
 */
export async function writeChartPdf(
  input: ChartExport,
  out: NodeJS.WritableStream,
  options: ChartPdfOptions = {},
): Promise<void> {
  const fonts = pickFonts();
  const chart = fonts.unicode ? input : mapStrings(input, toWinAnsi);
  const compress = options.compress ?? true;
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  // The measuring pass need not compress: only where things fall matters.
  const first = await writePass(chart, fonts, discard, { compress: false, first: null });
  await writePass(chart, fonts, out, { compress, first });
}

/** The chart PDF whole, in memory: for one chart (a release, a client's copy), not for bulk. */
export async function renderChartPdf(chart: ChartExport, options: ChartPdfOptions = {}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writeChartPdf(chart, sink, options);
  return Buffer.concat(chunks);
}
