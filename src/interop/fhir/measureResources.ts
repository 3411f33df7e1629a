import type {
  ChartAnnotation,
  ChartExport,
  ChartMeasure,
  ChartRiskAlert,
} from '../../services/chartExport/chartExportTypes.js';
import { INSTRUMENTS, type MeasureItem, type ResponseOption } from '../../domain/measureInstruments.js';
import {
  CASEBOOK_FHIR,
  codeSystem,
  concept,
  derivedId,
  ext,
  LOINC,
  prune,
  ref,
  UCUM,
  type Coding,
  type Resource,
} from './fhirCommon.js';

// Outcome measures: a QuestionnaireResponse with the item answers, a panel Observation
// (44249-1 etc.) whose hasMember are the total and each item, all category survey. LOINC codes
// come from measureInstruments.ts only; an item or answer without a confirmed LOINC code is
// coded in Casebook's own code system. Risk alerts are Flag; chart annotations are Basic.

const SURVEY = concept('http://terminology.hl7.org/CodeSystem/observation-category', 'survey', 'Survey');

export const itemObservationId = (m: ChartMeasure, itemId: string) => derivedId('Observation', m.id, itemId);
export const totalObservationId = (m: ChartMeasure) => derivedId('Observation', m.id, 'total');

function itemCoding(m: ChartMeasure, item: { id: string; loinc: string | null; text: string }): Coding[] {
  return [
    ...(item.loinc ? [{ system: LOINC, code: item.loinc }] : []),
    { system: codeSystem(`${m.instrument}-item`), code: item.id, display: item.text },
  ];
}

function answerCoding(m: ChartMeasure, options: ResponseOption[], value: number): Coding[] {
  const o = options.find((x) => x.value === value);
  return [
    ...(o?.loinc ? [{ system: LOINC, code: o.loinc, display: o.label }] : []),
    { system: codeSystem(`${m.instrument}-answer`), code: String(value), display: o?.label ?? String(value) },
  ];
}

interface Item extends Pick<MeasureItem, 'id' | 'loinc' | 'text'> {
  options: ResponseOption[];
}

function itemsOf(m: ChartMeasure): Item[] {
  const def = INSTRUMENTS[m.instrument];
  const items: Item[] = def.items.map((i) => ({
    id: i.id,
    loinc: i.loinc,
    text: i.text,
    options: def.options,
  }));
  if (def.difficulty)
    items.push({
      id: def.difficulty.id,
      loinc: def.difficulty.loinc,
      text: def.difficulty.text,
      options: def.difficulty.options,
    });
  return items.filter((i) => typeof m.answers[i.id] === 'number');
}

export function measureResources(chart: ChartExport, m: ChartMeasure, sessionIds: Set<string>): Resource[] {
  const def = INSTRUMENTS[m.instrument];
  const subject = ref('Patient', chart.client.id);
  const performer =
    m.source === 'client_link' ? [subject] : m.recordedBy ? [ref('Practitioner', m.recordedBy)] : [];
  const encounter = m.sessionId && sessionIds.has(m.sessionId) ? ref('Encounter', m.sessionId) : undefined;
  const items = itemsOf(m);
  const qr = prune({
    resourceType: 'QuestionnaireResponse',
    id: m.id,
    questionnaire: `${CASEBOOK_FHIR}/Questionnaire/${m.instrument}|${m.version}`,
    status: 'completed',
    subject,
    encounter,
    authored: m.administeredAt,
    author: performer[0],
    source: m.source === 'client_link' ? subject : undefined,
    item: items.map((i) => ({
      linkId: i.id,
      text: i.text,
      answer: [{ valueCoding: answerCoding(m, i.options, m.answers[i.id] as number)[0] }],
    })),
    extension: [
      { url: ext('measure-source'), valueCode: m.source },
      { url: ext('instrument-version'), valueString: m.version },
    ],
  });
  const common = {
    status: 'final',
    category: [SURVEY],
    subject,
    encounter,
    effectiveDateTime: m.administeredAt,
    performer,
  };
  const itemObs = items.map((i) =>
    prune({
      resourceType: 'Observation',
      id: itemObservationId(m, i.id),
      ...common,
      code: { coding: itemCoding(m, i), text: i.text },
      valueCodeableConcept: {
        coding: answerCoding(m, i.options, m.answers[i.id] as number),
        text: i.options.find((o) => o.value === m.answers[i.id])?.label,
      },
      derivedFrom: [ref('QuestionnaireResponse', m.id)],
    }),
  );
  const band = def.bands.find((b) => b.key === m.band);
  const total = prune({
    resourceType: 'Observation',
    id: totalObservationId(m),
    ...common,
    code: concept(LOINC, def.loinc.total, `${def.shortName} total score`, `${def.shortName} total score`),
    valueQuantity: { value: m.total, unit: '{score}', system: UCUM, code: '{score}' },
    interpretation: [
      {
        coding: [
          { system: codeSystem(`${m.instrument}-band`), code: m.band, display: band?.label ?? m.band },
        ],
        text: m.bandLabel,
      },
    ],
    referenceRange: [{ low: { value: 0 }, high: { value: def.maxTotal }, text: `0-${def.maxTotal}` }],
    derivedFrom: [ref('QuestionnaireResponse', m.id)],
  });
  const panel = prune({
    resourceType: 'Observation',
    id: m.id,
    ...common,
    code: concept(LOINC, def.loinc.panel, def.name, def.name),
    hasMember: [ref('Observation', total.id), ...itemObs.map((o) => ref('Observation', o.id))],
    derivedFrom: [ref('QuestionnaireResponse', m.id)],
    extension: [m.item9Positive ? { url: ext('phq9-item9-positive'), valueBoolean: true } : null],
  });
  return [qr, panel, total, ...itemObs];
}

export function riskAlertFlag(chart: ChartExport, a: ChartRiskAlert): Resource {
  return prune({
    resourceType: 'Flag',
    id: a.id,
    status: a.acknowledgedAt ? 'inactive' : 'active',
    category: [concept('http://terminology.hl7.org/CodeSystem/flag-category', 'safety', 'Safety')],
    code: concept(
      codeSystem('risk-alert'),
      a.kind,
      'PHQ-9 item 9 answered above zero',
      'PHQ-9 item 9 positive',
    ),
    subject: ref('Patient', chart.client.id),
    period: { start: a.raisedAt, end: a.acknowledgedAt ?? undefined },
    extension: [
      { url: ext('risk-alert-source'), valueReference: ref('Observation', a.administrationId) },
      { url: ext('risk-alert-item-value'), valueInteger: a.itemValue },
      a.acknowledgedBy
        ? { url: ext('acknowledged-by'), valueReference: ref('Practitioner', a.acknowledgedBy) }
        : null,
      a.acknowledgedAt ? { url: ext('acknowledged-at'), valueDateTime: a.acknowledgedAt } : null,
      a.acknowledgementNote ? { url: ext('acknowledgement-note'), valueString: a.acknowledgementNote } : null,
    ],
  });
}

export function annotationBasic(chart: ChartExport, a: ChartAnnotation): Resource {
  return prune({
    resourceType: 'Basic',
    id: a.id,
    code: concept(codeSystem('basic-kind'), 'chart-annotation', 'Chart annotation'),
    subject: ref('Patient', chart.client.id),
    created: a.date,
    author: ref('Practitioner', a.createdBy),
    extension: [
      { url: ext('annotation-text'), valueString: a.text },
      { url: ext('recorded-at'), valueDateTime: a.createdAt },
    ],
  });
}
