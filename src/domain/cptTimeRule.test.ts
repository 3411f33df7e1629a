import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CPT_CODES,
  CPT_TIME_RULES,
  isKnownCptCode,
  MODALITIES,
  suggestCpt,
  type Modality,
  type ServiceType,
} from './cptTimeRule.js';

function codesFor(serviceType: ServiceType, minutes: number | null, interactiveComplexity = false): string[] {
  return suggestCpt({ serviceType, minutes, modality: 'in_person', interactiveComplexity }).codes.map((c) =>
    c.units === 1 ? c.code : `${c.code}x${c.units}`,
  );
}

describe('suggestCpt: individual psychotherapy bands', () => {
  it.each([
    [15, []],
    [16, ['90832']],
    [37, ['90832']],
    [38, ['90834']],
    [52, ['90834']],
    [53, ['90837']],
    [120, ['90837']],
  ])('%i minutes → %j', (minutes, expected) => {
    expect(codesFor('individual', minutes)).toEqual(expected);
  });
  it('explains why there is no code below 16 minutes', () => {
    expect(suggestCpt({ serviceType: 'individual', minutes: 15, modality: 'in_person' }).reason).toMatch(
      /minimum is 16 minutes/,
    );
  });
  it('counts only completed minutes', () => {
    expect(codesFor('individual', 37.9)).toEqual(['90832']);
  });
  it('asks for the minutes when they are missing', () => {
    const s = suggestCpt({ serviceType: 'individual', minutes: null, modality: 'in_person' });
    expect(s.codes).toEqual([]);
    expect(s.reason).toMatch(/^Record the minutes/);
  });
  it('refuses negative or non-finite minutes', () => {
    expect(codesFor('individual', -1)).toEqual([]);
    expect(codesFor('individual', Number.NaN)).toEqual([]);
  });
});

describe('suggestCpt: family and couples', () => {
  it.each<[ServiceType, number, string[]]>([
    ['family_with_client', 25, []],
    ['family_with_client', 26, ['90847']],
    ['family_without_client', 25, []],
    ['family_without_client', 26, ['90846']],
    ['couples', 25, []],
    ['couples', 50, ['90847']],
  ])('%s, %i minutes → %j', (serviceType, minutes, expected) => {
    expect(codesFor(serviceType, minutes)).toEqual(expected);
  });
  it('gives the reason for no code below 26 minutes', () => {
    const s = suggestCpt({ serviceType: 'family_without_client', minutes: 25, modality: 'in_person' });
    expect(s.reason).toMatch(/minimum is 26 minutes/);
  });
  it('says that couples are reported as family with the client present', () => {
    expect(suggestCpt({ serviceType: 'couples', minutes: 50, modality: 'in_person' }).reason).toMatch(
      /family psychotherapy with the client present/,
    );
  });
  it('needs minutes for family codes', () => {
    expect(suggestCpt({ serviceType: 'couples', minutes: null, modality: 'video' }).reason).toMatch(
      /^Record the minutes/,
    );
  });
});

describe('suggestCpt: crisis', () => {
  it.each([
    [29, ['90832']],
    [30, ['90839']],
    [74, ['90839']],
    [75, ['90839', '90840']],
    [104, ['90839', '90840']],
    [105, ['90839', '90840x2']],
    [134, ['90839', '90840x2']],
    [135, ['90839', '90840x3']],
  ])('%i minutes → %j', (minutes, expected) => {
    expect(codesFor('crisis', minutes)).toEqual(expected);
  });
  it('falls back to the individual codes under 30 minutes and says so', () => {
    const s = suggestCpt({ serviceType: 'crisis', minutes: 20, modality: 'in_person' });
    expect(s.codes.map((c) => c.code)).toEqual(['90832']);
    expect(s.reason).toMatch(/under 30 minutes.*individual psychotherapy by time/);
  });
  it('gives no code for a crisis contact under 16 minutes', () => {
    expect(codesFor('crisis', 15)).toEqual([]);
  });
});

describe('suggestCpt: codes that are not time-based or not billable', () => {
  it('codes intake as 90791 and group as 90853 without minutes', () => {
    expect(codesFor('intake_assessment', null)).toEqual(['90791']);
    expect(codesFor('group', null)).toEqual(['90853']);
    expect(codesFor('group', 5)).toEqual(['90853']);
  });
  it.each<ServiceType>(['collateral_contact', 'phone_checkin'])('suggests nothing for %s', (serviceType) => {
    const s = suggestCpt({ serviceType, minutes: 50, modality: 'phone', interactiveComplexity: true });
    expect(s.codes).toEqual([]);
    expect(s.reason).toMatch(/code/);
  });
});

describe('suggestCpt: modality, modifiers and place of service', () => {
  it.each<[Modality, boolean | undefined, string | undefined, string[], string]>([
    ['in_person', undefined, undefined, [], '11'],
    ['in_person', true, undefined, [], '11'],
    ['in_person', undefined, '53', [], '53'],
    ['video', undefined, undefined, ['95'], '02'],
    ['video', false, undefined, ['95'], '02'],
    ['video', true, undefined, ['95'], '10'],
    ['phone', undefined, undefined, ['93'], '02'],
    ['phone', true, '11', ['93'], '10'],
  ])(
    '%s, at home %s, office POS %s → modifiers %j, POS %s',
    (modality, clientAtHome, officePos, mods, pos) => {
      const s = suggestCpt({ serviceType: 'individual', minutes: 45, modality, clientAtHome, officePos });
      expect(s.codes).toEqual([{ code: '90834', units: 1, modifiers: mods }]);
      expect(s.placeOfService).toBe(pos);
    },
  );
  it('puts the telehealth modifier on every line, add-ons included', () => {
    const s = suggestCpt({ serviceType: 'crisis', minutes: 80, modality: 'video', clientAtHome: true });
    expect(s.codes).toEqual([
      { code: '90839', units: 1, modifiers: ['95'] },
      { code: '90840', units: 1, modifiers: ['95'] },
    ]);
  });
  it('returns separate modifier arrays per line', () => {
    const s = suggestCpt({
      serviceType: 'individual',
      minutes: 45,
      modality: 'video',
      interactiveComplexity: true,
    });
    expect(s.codes[0]?.modifiers).not.toBe(s.codes[1]?.modifiers);
  });
});

describe('suggestCpt: interactive complexity (90785)', () => {
  it.each<[ServiceType, number | null, string[]]>([
    ['intake_assessment', null, ['90791', '90785']],
    ['individual', 16, ['90832', '90785']],
    ['individual', 45, ['90834', '90785']],
    ['individual', 60, ['90837', '90785']],
    ['group', 90, ['90853', '90785']],
    ['crisis', 20, ['90832', '90785']],
  ])('is added to %s (%s min)', (serviceType, minutes, expected) => {
    expect(codesFor(serviceType, minutes, true)).toEqual(expected);
  });
  it.each<[ServiceType, number, string[], RegExp]>([
    ['crisis', 60, ['90839'], /cannot be reported with 90839/],
    ['crisis', 80, ['90839', '90840'], /cannot be reported with 90839, 90840/],
    ['family_with_client', 50, ['90847'], /cannot be reported with 90847/],
    ['couples', 50, ['90847'], /cannot be reported with 90847/],
    ['family_without_client', 50, ['90846'], /cannot be reported with 90846/],
    ['individual', 10, [], /needs a primary code/],
  ])('is refused with %s (%i min), with the reason', (serviceType, minutes, expected, why) => {
    const s = suggestCpt({ serviceType, minutes, modality: 'in_person', interactiveComplexity: true });
    expect(s.codes.map((c) => c.code)).toEqual(expected);
    expect(s.reason).toMatch(why);
  });
  it('is not added unless asked for', () => {
    expect(codesFor('individual', 45)).toEqual(['90834']);
  });
});

describe('CPT_CODES', () => {
  it('knows every code the rules can suggest, and nothing else', () => {
    for (const rule of CPT_TIME_RULES) {
      expect(isKnownCptCode(rule.code)).toBe(true);
      if (rule.extraTime) expect(isKnownCptCode(rule.extraTime.code)).toBe(true);
    }
    expect(isKnownCptCode('90785')).toBe(true);
    expect(isKnownCptCode('99354')).toBe(false);
    expect(isKnownCptCode('9083')).toBe(false);
  });
  it('has unique five-digit codes with short labels', () => {
    expect(new Set(CPT_CODES.map((c) => c.code)).size).toBe(CPT_CODES.length);
    for (const c of CPT_CODES) {
      expect(c.code).toMatch(/^\d{5}$/);
      expect(c.label.length).toBeLessThanOrEqual(50);
    }
  });
});

describe('suggestCpt properties', () => {
  const individualCodes = ['90832', '90834', '90837'];
  it('an individual session from 16 minutes gets exactly one code whose band holds the minutes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 600 }), fc.constantFrom(...MODALITIES), (minutes, modality) => {
        const { codes } = suggestCpt({ serviceType: 'individual', minutes, modality });
        if (minutes < 16) return codes.length === 0;
        if (codes.length !== 1 || !individualCodes.includes(codes[0]?.code ?? '')) return false;
        const rule = CPT_TIME_RULES.find((r) => r.code === codes[0]?.code);
        if (!rule || rule.time === 'not_time_based') return false;
        return minutes >= rule.time.min && (rule.time.max === null || minutes <= rule.time.max);
      }),
    );
  });
  it('crisis 90840 units are the fewest whose 30-minute blocks after minute 74 cover the session', () => {
    fc.assert(
      fc.property(fc.integer({ min: 30, max: 1000 }), (minutes) => {
        const { codes } = suggestCpt({ serviceType: 'crisis', minutes, modality: 'in_person' });
        const extra = codes.find((c) => c.code === '90840')?.units ?? 0;
        const covered = minutes <= 74 + 30 * extra;
        const oneLessWouldNot = extra === 0 || minutes > 74 + 30 * (extra - 1);
        return codes[0]?.code === '90839' && covered && oneLessWouldNot;
      }),
    );
  });
});
