import type { ChartExport } from '../../services/chartExport/chartExportTypes.js';
import { ratingLabel } from '../../domain/goalProgress.js';
import { INSTRUMENT_IDS, INSTRUMENTS } from '../../domain/measureInstruments.js';
import { GOAL_STATUS_LABELS, type GoalStatus } from '../../domain/planVocabulary.js';
import { localDateOf } from '../../domain/recurrence.js';
import { RELEASE_CATEGORY_LABELS } from '../../domain/releaseScope.js';
import { drawTrendChart } from '../pdfCharts.js';
import { clinicianName, when, words } from './chartFormat.js';
import { MARGIN, type ChartWriter } from './chartWriter.js';

// Goal ratings, outcome measures (chart and table each), annotations, consents, imported documents.

const CHART_HEIGHT = 150;
const RISK_ALERT_LABELS: Record<string, string> = {
  phq9_item9: 'PHQ-9 item 9 answered above zero (thoughts of being better off dead or of self-harm)',
};

export function writeGoalRatings(w: ChartWriter, chart: ChartExport): void {
  const byGoal = new Map<string, typeof chart.goalRatings>();
  for (const r of chart.goalRatings) byGoal.set(r.goalId, [...(byGoal.get(r.goalId) ?? []), r]);
  for (const ratings of byGoal.values()) {
    const statement = ratings.find((r) => r.goalStatement !== '')?.goalStatement;
    w.heading(statement ?? 'A goal of a plan version not included in this record', 11, 4);
    w.table(
      [72, 110, '*', 90],
      ['Date', 'Rating', 'Comment', 'New status'],
      [...ratings]
        .sort((a, b) => a.dateOfService.localeCompare(b.dateOfService))
        .map((r) => [
          r.dateOfService,
          ratingLabel(r.scale, r.rating),
          r.comment ?? '',
          r.newStatus === null ? '' : (GOAL_STATUS_LABELS[r.newStatus as GoalStatus] ?? words(r.newStatus)),
        ]),
    );
  }
}

/** Annotations numbered in date order, as the charts mark them. */
function numberedAnnotations(chart: ChartExport) {
  return [...chart.annotations]
    .sort((a, b) => a.date.localeCompare(b.date) || a.createdAt.localeCompare(b.createdAt))
    .map((a, i) => ({ ...a, number: i + 1 }));
}

/** The period the charts span: the export's range, or the record's own first and last dates. */
function chartPeriod(chart: ChartExport): { from: string; to: string } {
  const dates = chart.measures.map((m) => m.date).sort();
  const prepared = localDateOf(new Date(chart.exportedAt), chart.practice.timeZone);
  return {
    from: chart.scope.from ?? dates[0] ?? prepared,
    to: chart.scope.to ?? dates[dates.length - 1] ?? prepared,
  };
}

export async function writeMeasures(
  w: ChartWriter,
  chart: ChartExport,
  checkpoint: () => Promise<void>,
): Promise<void> {
  if (chart.measures.length === 0) {
    w.body('No outcome measures given in this period.');
    return;
  }
  const period = chartPeriod(chart);
  const annotations = numberedAnnotations(chart);
  const plan = chart.planVersions.find((v) => v.current) ?? chart.planVersions[chart.planVersions.length - 1];
  let first = true;
  for (const id of INSTRUMENT_IDS) {
    const given = chart.measures
      .filter((m) => m.instrument === id)
      .sort((a, b) => a.administeredAt.localeCompare(b.administeredAt));
    if (given.length === 0) continue;
    const instrument = INSTRUMENTS[id];
    // A measure starts where its chart fits whole under its heading.
    if (!first) w.ensureRoom(CHART_HEIGHT + 90);
    first = false;
    w.bookmark(instrument.name);
    w.heading(instrument.name, 12, 1);
    const targets = (plan?.content.goals ?? []).flatMap((g, i) =>
      g.measure?.instrument === id
        ? [{ below: g.measure.below, label: `Goal ${i + 1}: below ${g.measure.below}` }]
        : [],
    );
    drawTrendChart(
      w.doc,
      {
        from: period.from,
        to: period.to,
        maxTotal: instrument.maxTotal,
        bands: instrument.bands.map((b) => ({ label: b.label, min: b.min, max: b.max })),
        points: given.map((m) => ({ date: m.date, total: m.total })),
        markers: annotations.map((a) => ({ date: a.date, label: String(a.number) })),
        targets,
      },
      { x: MARGIN, y: w.doc.y, width: w.width, height: CHART_HEIGHT },
      w.font,
    );
    w.gap(0.8);
    const flagged = given.some((m) => m.item9Positive);
    w.table(
      flagged ? [72, 48, '*', 110, 90] : [72, 48, '*', 110],
      ['Date', 'Total', 'Severity', 'Completed by', ...(flagged ? ['Item 9'] : [])],
      given.map((m) => [
        m.date,
        String(m.total),
        m.bandLabel,
        m.source === 'client_link'
          ? 'Client (link)'
          : m.recordedBy === null
            ? 'Clinician'
            : clinicianName(chart, m.recordedBy),
        ...(flagged ? [m.item9Positive ? 'Positive' : ''] : []),
      ]),
    );
    w.muted(instrument.bandNote);
    w.gap(1);
    await checkpoint();
  }
  if (chart.riskAlerts.length > 0) {
    w.heading('Risk alerts', 12, 4);
    w.table(
      [110, '*', 52, 150],
      ['Raised', 'Alert', 'Answer', 'Acknowledged'],
      chart.riskAlerts.map((a) => [
        when(chart, a.raisedAt),
        RISK_ALERT_LABELS[a.kind] ?? words(a.kind),
        String(a.itemValue),
        a.acknowledgedAt === null
          ? 'Not acknowledged'
          : `${clinicianName(chart, a.acknowledgedBy)}, ${when(chart, a.acknowledgedAt)}${a.acknowledgementNote ? `\n${a.acknowledgementNote}` : ''}`,
      ]),
    );
  }
}

export function writeAnnotations(w: ChartWriter, chart: ChartExport): void {
  w.muted('Numbered as they are marked on the measure charts.');
  w.gap(0.4);
  for (const a of numberedAnnotations(chart)) {
    w.body(`${a.number}. ${a.date} — ${a.text}`);
    w.muted(`Added by ${clinicianName(chart, a.createdBy)}, ${when(chart, a.createdAt)}`, 14);
    w.gap(0.3);
  }
}

export function writeConsents(w: ChartWriter, chart: ChartExport): void {
  if (chart.consents.length === 0) {
    w.body('No consents or authorizations on file.');
    return;
  }
  w.table(
    ['*', 70, 70, 110, 120],
    ['Consent or authorization', 'Status', 'Signed', 'In effect', 'Recipient and purpose'],
    chart.consents.map((c) => [
      c.title +
        (c.categories.length > 0
          ? `\nCovers: ${c.categories.map((k) => RELEASE_CATEGORY_LABELS[k]).join(', ')}`
          : ''),
      words(c.status) + (c.revokedAt ? `\nrevoked ${when(chart, c.revokedAt).slice(0, 10)}` : ''),
      c.signedOn ?? '—',
      `${c.effectiveFrom ?? '—'} to ${c.expiresOn ?? 'no end date'}`,
      [c.recipient, c.purpose].filter((x): x is string => !!x).join('\n') || '—',
    ]),
  );
  w.muted('The signed forms themselves are kept with the record and are not reproduced here.');
}

export async function writeImportedDocuments(
  w: ChartWriter,
  chart: ChartExport,
  checkpoint: () => Promise<void>,
): Promise<void> {
  for (const d of chart.importedDocuments) {
    w.heading(`${d.date ?? 'Undated'} — ${d.title}`, 11, 3);
    w.muted(
      `${d.source ? `From ${d.source}; ` : ''}imported ${when(chart, d.importedAt)} by ${clinicianName(chart, d.importedBy)}.`,
    );
    w.gap(0.3);
    w.body(d.text ?? `The document (${d.contentType}) has no readable text; it is kept with the record.`);
    w.gap(0.8);
    await checkpoint();
  }
}
