import { INSTRUMENTS, INSTRUMENT_IDS, type InstrumentId } from '../../domain/measureInstruments.js';
import { observationShape, questionnaireResponseShape, type FhirObservation } from './importShapes.js';
import { parseAs, type Entry } from './importCommon.js';
import { instant } from './importDocuments.js';

// Outcome measures: a QuestionnaireResponse for a known instrument with every item answered
// is re-scored by Casebook; otherwise the total the source reported is kept as it was.

const LOINC = 'http://loinc.org';

export interface ImportMeasure {
  sourceId: string | null;
  instrument: InstrumentId;
  administeredAt: string;
  /** Item answers by item id, as far as the source gave them. */
  answers: Record<string, number>;
  /** Every scored item answered: Casebook scores it. */
  complete: boolean;
  /** The total the source reported (used when the answers are incomplete). */
  reportedTotal: number | null;
}

const byTotalLoinc = new Map(INSTRUMENT_IDS.map((id) => [INSTRUMENTS[id].loinc.total, id] as const));
const byPanelLoinc = new Map(INSTRUMENT_IDS.map((id) => [INSTRUMENTS[id].loinc.panel, id] as const));

function instrumentOfQuestionnaire(url: string | undefined): InstrumentId | null {
  if (!url) return null;
  const m = /\/Questionnaire\/([a-z0-9]+)(\|.*)?$/.exec(url);
  const id = m?.[1];
  return id && (INSTRUMENT_IDS as readonly string[]).includes(id) ? (id as InstrumentId) : null;
}

function answerValue(
  instrument: InstrumentId,
  itemId: string,
  a: { valueCoding?: { system?: string; code?: string }; valueInteger?: number },
): number | null {
  if (typeof a.valueInteger === 'number') return a.valueInteger;
  const c = a.valueCoding;
  if (!c?.code) return null;
  const def = INSTRUMENTS[instrument];
  if (c.system?.endsWith(`/CodeSystem/${instrument}-answer`) && /^\d+$/.test(c.code)) return Number(c.code);
  const options = itemId === 'difficulty' && def.difficulty ? def.difficulty.options : def.options;
  return options.find((o) => o.loinc && c.system === LOINC && o.loinc === c.code)?.value ?? null;
}

const totalOf = (o: FhirObservation) => o.valueQuantity?.value ?? o.valueInteger ?? null;

export function readMeasures(entries: Entry[], consumed: Set<number>, warnings: string[]): ImportMeasure[] {
  const out: ImportMeasure[] = [];
  const observations = entries.flatMap((r, i) =>
    r.resourceType === 'Observation'
      ? [{ i, o: parseAs(observationShape, r, `bundle.entry.${i}.resource`) }]
      : [],
  );
  const qrIds = new Set<string>();
  entries.forEach((r, i) => {
    if (r.resourceType !== 'QuestionnaireResponse') return;
    const q = parseAs(questionnaireResponseShape, r, `bundle.entry.${i}.resource`);
    const instrument = instrumentOfQuestionnaire(q.questionnaire);
    const when = instant(q.authored);
    if (!instrument || !when) {
      warnings.push(
        `QuestionnaireResponse ${q.id ?? i} is not a PHQ-9, GAD-7 or PCL-5 with a time; not imported`,
      );
      consumed.add(i);
      return;
    }
    consumed.add(i);
    if (q.id) qrIds.add(`QuestionnaireResponse/${q.id}`);
    const answers: Record<string, number> = {};
    for (const item of q.item ?? []) {
      const a = item.answer?.[0];
      const v = a ? answerValue(instrument, item.linkId, a) : null;
      if (v !== null) answers[item.linkId] = v;
    }
    const def = INSTRUMENTS[instrument];
    const complete = def.items.every((it) => typeof answers[it.id] === 'number');
    const totalObs = observations.find(
      (x) =>
        x.o.code.coding?.some((c) => c.system === LOINC && c.code === def.loinc.total) &&
        x.o.derivedFrom?.some((d) => d.reference === `QuestionnaireResponse/${q.id}`),
    );
    out.push({
      sourceId: q.id ?? null,
      instrument,
      administeredAt: when,
      answers,
      complete,
      reportedTotal: totalObs ? totalOf(totalObs.o) : null,
    });
  });
  // Observations that belong to an imported form (items, total, panel) are part of it.
  for (const { i, o } of observations)
    if (o.derivedFrom?.some((d) => d.reference && qrIds.has(d.reference))) consumed.add(i);
  const memberOfConsumed = new Set<string>();
  // A total score from a system that sent no form: kept as the total it reported.
  for (const { i, o } of observations) {
    if (consumed.has(i)) continue;
    const code = o.code.coding?.find((c) => c.system === LOINC && c.code && byTotalLoinc.has(c.code))?.code;
    const instrument = code ? byTotalLoinc.get(code) : undefined;
    const total = totalOf(o);
    const when = instant(o.effectiveDateTime);
    if (!instrument || total === null || !when) continue;
    consumed.add(i);
    if (o.id) memberOfConsumed.add(`Observation/${o.id}`);
    out.push({
      sourceId: o.id ?? null,
      instrument,
      administeredAt: when,
      answers: {},
      complete: false,
      reportedTotal: total,
    });
  }
  // Panels whose total was kept are part of it too.
  for (const { i, o } of observations)
    if (
      !consumed.has(i) &&
      o.code.coding?.some((c) => c.system === LOINC && c.code && byPanelLoinc.has(c.code)) &&
      o.hasMember?.some((m) => m.reference && memberOfConsumed.has(m.reference))
    )
      consumed.add(i);
  for (const m of out)
    if (!m.complete && m.reportedTotal === null)
      warnings.push(
        `A ${INSTRUMENTS[m.instrument].shortName} of ${m.administeredAt.slice(0, 10)} has neither every answer nor a total; not imported`,
      );
  return out.filter((m) => m.complete || m.reportedTotal !== null);
}
