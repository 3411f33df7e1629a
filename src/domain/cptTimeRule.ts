export const SERVICE_TYPES = [
  'intake_assessment',
  'individual',
  'couples',
  'family_with_client',
  'family_without_client',
  'group',
  'crisis',
  'collateral_contact',
  'phone_checkin',
] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const MODALITIES = ['in_person', 'video', 'phone'] as const;
export type Modality = (typeof MODALITIES)[number];

export interface CptSuggestion {
  codes: { code: string; units: number; modifiers: string[] }[];
  placeOfService: string;
  reason: string;
}

/** Inclusive minute band; `max: null` means no upper limit. */
export interface TimeBand {
  min: number;
  max: number | null;
}

export interface CptTimeRule {
  code: string;
  serviceTypes: readonly ServiceType[];
  time: TimeBand | 'not_time_based';
  /** An add-on reported once per further block of time beyond the base code's band. */
  extraTime?: { code: string; fromMinute: number; everyMinutes: number };
}

/**
 * The time rule as data: a service type's rows are tried in order and the first band that holds
 * the minutes wins. Individual bands follow the CPT midpoint rule (16 min for the 30-min code,
 * then the nearest stated time). CPT has no couples code: a conjoint session with the identified
 * client present is reported as family psychotherapy with the patient present (90847).
 */
export const CPT_TIME_RULES: readonly CptTimeRule[] = [
  { code: '90791', serviceTypes: ['intake_assessment'], time: 'not_time_based' },
  { code: '90832', serviceTypes: ['individual'], time: { min: 16, max: 37 } },
  { code: '90834', serviceTypes: ['individual'], time: { min: 38, max: 52 } },
  { code: '90837', serviceTypes: ['individual'], time: { min: 53, max: null } },
  { code: '90847', serviceTypes: ['couples', 'family_with_client'], time: { min: 26, max: null } },
  { code: '90846', serviceTypes: ['family_without_client'], time: { min: 26, max: null } },
  {
    code: '90839',
    serviceTypes: ['crisis'],
    time: { min: 30, max: null },
    extraTime: { code: '90840', fromMinute: 75, everyMinutes: 30 },
  },
  { code: '90853', serviceTypes: ['group'], time: 'not_time_based' },
];

// Not psychotherapy with the client, so never suggested; the reason is shown to the clinician.
const NOT_BILLABLE: Partial<Record<ServiceType, string>> = {
  collateral_contact:
    'A collateral contact has no psychotherapy code; some payers allow billing it under their own rules, so pick a code by hand if yours does.',
  phone_checkin: 'A phone check-in is not a psychotherapy session and has no billable psychotherapy code.',
};

// A crisis session too short for 90839 was still psychotherapy, so it is coded by the individual bands.
const WHEN_TOO_SHORT_CODE_AS: Partial<Record<ServiceType, ServiceType>> = { crisis: 'individual' };

// Interactive complexity may only ride on these codes (never on crisis or family codes).
const INTERACTIVE_COMPLEXITY_WITH = new Set([
  '90791',
  '90792',
  '90832',
  '90833',
  '90834',
  '90836',
  '90837',
  '90838',
  '90853',
]);
const INTERACTIVE_COMPLEXITY = '90785';

const SERVICE_LABEL: Record<ServiceType, string> = {
  intake_assessment: 'Intake assessment',
  individual: 'Individual psychotherapy',
  couples: 'Couples session (reported as family psychotherapy with the client present)',
  family_with_client: 'Family psychotherapy with the client present',
  family_without_client: 'Family psychotherapy without the client',
  group: 'Group psychotherapy',
  crisis: 'Crisis psychotherapy',
  collateral_contact: 'Collateral contact',
  phone_checkin: 'Phone check-in',
};

/** Codes offered when a clinician overrides the suggestion; labels are our own short paraphrases. */
export const CPT_CODES: readonly { code: string; label: string }[] = [
  { code: '90791', label: 'Diagnostic evaluation (intake)' },
  { code: '90792', label: 'Diagnostic evaluation with medical services' },
  { code: '90832', label: 'Psychotherapy, about 30 min' },
  { code: '90834', label: 'Psychotherapy, about 45 min' },
  { code: '90837', label: 'Psychotherapy, about 60 min' },
  { code: '90833', label: 'Psychotherapy add-on with E/M, about 30 min' },
  { code: '90836', label: 'Psychotherapy add-on with E/M, about 45 min' },
  { code: '90838', label: 'Psychotherapy add-on with E/M, about 60 min' },
  { code: '90839', label: 'Crisis psychotherapy, first hour' },
  { code: '90840', label: 'Crisis psychotherapy, each further 30 min' },
  { code: '90846', label: 'Family psychotherapy, client not present' },
  { code: '90847', label: 'Family or couples psychotherapy, client present' },
  { code: '90849', label: 'Multiple-family group psychotherapy' },
  { code: '90853', label: 'Group psychotherapy' },
  { code: '90785', label: 'Interactive complexity add-on' },
  { code: '90863', label: 'Pharmacologic management add-on' },
];

const KNOWN_CODES = new Set(CPT_CODES.map((c) => c.code));

/** Whether a code is on the override pick list. */
export function isKnownCptCode(code: string): boolean {
  return KNOWN_CODES.has(code);
}

/** Suggests CPT codes, telehealth modifiers and place of service for one session; the clinician may override. */
export function suggestCpt(input: {
  serviceType: ServiceType;
  minutes: number | null;
  modality: Modality;
  clientAtHome?: boolean;
  interactiveComplexity?: boolean;
  officePos?: string;
}): CptSuggestion {
  const placeOfService = placeOfServiceFor(
    input.modality,
    input.clientAtHome ?? false,
    input.officePos ?? '11',
  );
  const modifiers = telehealthModifiers(input.modality);
  const base = baseCodes(input.serviceType, input.minutes);
  const reasons = [base.reason];
  const codes = base.codes.map((c) => ({ ...c, modifiers: [...modifiers] }));

  if (input.interactiveComplexity) {
    const refused = codes.filter((c) => !INTERACTIVE_COMPLEXITY_WITH.has(c.code)).map((c) => c.code);
    if (codes.length === 0) {
      reasons.push(
        'Interactive complexity (90785) is an add-on and needs a primary code, so it is left out.',
      );
    } else if (refused.length > 0) {
      reasons.push(
        `Interactive complexity (90785) cannot be reported with ${refused.join(', ')}, so it is left out.`,
      );
    } else {
      codes.push({ code: INTERACTIVE_COMPLEXITY, units: 1, modifiers: [...modifiers] });
      reasons.push('Interactive complexity add-on 90785 as requested.');
    }
  }
  if (codes.length > 0 && modifiers.length > 0) {
    reasons.push(
      input.modality === 'video'
        ? 'Video session: modifier 95.'
        : 'Audio-only session: modifier 93 (some payers want FQ or no modifier).',
    );
  }
  return { codes, placeOfService, reason: reasons.join(' ') };
}

function baseCodes(
  serviceType: ServiceType,
  minutes: number | null,
): { codes: { code: string; units: number }[]; reason: string } {
  const label = SERVICE_LABEL[serviceType];
  const notBillable = NOT_BILLABLE[serviceType];
  if (notBillable !== undefined) return { codes: [], reason: notBillable };

  const rows = CPT_TIME_RULES.filter((r) => r.serviceTypes.includes(serviceType));
  const untimed = rows.find((r) => r.time === 'not_time_based');
  if (untimed) return { codes: [{ code: untimed.code, units: 1 }], reason: `${label}: ${untimed.code}.` };

  if (minutes === null) {
    return {
      codes: [],
      reason: `Record the minutes of face-to-face time: ${label.toLowerCase()} is coded by time.`,
    };
  }
  if (!Number.isFinite(minutes) || minutes < 0) {
    return { codes: [], reason: 'Minutes must be a number of 0 or more.' };
  }
  // A minute counts once it is completed, so 37.9 minutes is still 37.
  const whole = Math.floor(minutes);
  const row = rows.find((r) => r.time !== 'not_time_based' && inBand(whole, r.time));
  if (row) return codedByTime(row, whole, label);

  const shortest = Math.min(...rows.map((r) => (r.time === 'not_time_based' ? Infinity : r.time.min)));
  const codeAs = WHEN_TOO_SHORT_CODE_AS[serviceType];
  if (codeAs !== undefined) {
    const other = baseCodes(codeAs, whole);
    return {
      codes: other.codes,
      reason: `${label} under ${shortest} minutes is not reportable as such; coded as ${SERVICE_LABEL[codeAs].toLowerCase()} by time instead. ${other.reason}`,
    };
  }
  return {
    codes: [],
    reason: `${label}, ${whole} min: no code, the minimum is ${shortest} minutes of face-to-face time.`,
  };
}

function codedByTime(
  row: CptTimeRule,
  minutes: number,
  label: string,
): { codes: { code: string; units: number }[]; reason: string } {
  const codes = [{ code: row.code, units: 1 }];
  const band = row.time === 'not_time_based' ? '' : ` (${bandText(row.time)})`;
  let reason = `${label}, ${minutes} min: ${row.code}${band}.`;
  const extra = row.extraTime;
  if (extra && minutes >= extra.fromMinute) {
    const units = Math.floor((minutes - extra.fromMinute) / extra.everyMinutes) + 1;
    codes.push({ code: extra.code, units });
    reason = `${label}, ${minutes} min: ${row.code} covers the first ${extra.fromMinute - 1} minutes, then ${units} × ${extra.code}, one per ${extra.everyMinutes}-minute block started from minute ${extra.fromMinute}.`;
  }
  return { codes, reason };
}

function inBand(minutes: number, band: TimeBand): boolean {
  return minutes >= band.min && (band.max === null || minutes <= band.max);
}

function bandText(band: TimeBand): string {
  return band.max === null ? `${band.min} minutes or more` : `${band.min}–${band.max} minutes`;
}

function telehealthModifiers(modality: Modality): string[] {
  switch (modality) {
    case 'in_person':
      return [];
    case 'video':
      return ['95'];
    case 'phone':
      return ['93'];
  }
}

function placeOfServiceFor(modality: Modality, clientAtHome: boolean, officePos: string): string {
  if (modality === 'in_person') return officePos;
  return clientAtHome ? '10' : '02';
}
