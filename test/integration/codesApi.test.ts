/**
 * Code sets and pick lists: ICD-10-CM search (with common abbreviations), the CPT override list
 * and the labelled note vocabulary. Any signed-in user; nobody signed out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, openTestApp, seedPractice, type Agent, type TestApp } from '../support/testApp.js';
import { isProblem } from '../support/staffAgents.js';
import { CPT_CODES } from '../../src/domain/cptTimeRule.js';
import { INTERVENTION_OPTIONS } from '../../src/domain/noteTemplates.js';

let t: TestApp;
let clinician: Agent;
let scheduler: Agent;

interface Icd10Json {
  items: { code: string; title: string; billable: boolean }[];
}

beforeAll(async () => {
  t = await openTestApp();
  const p = await seedPractice(t.deps);
  clinician = await login(t.app, p.users.clinician.email);
  scheduler = await login(t.app, p.users.scheduler.email);
});
afterAll(async () => {
  await t.close();
});

const icd10 = async (agent: Agent, query: string) => agent.get(`/api/v1/codes/icd10?${query}`);

describe('GET /api/v1/codes/icd10', () => {
  it('finds a code by its words, with billable flags', async () => {
    const res = await icd10(clinician, 'q=generalized%20anxiety');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Icd10Json>().items[0]).toEqual({
      code: 'F41.1',
      title: 'Generalized anxiety disorder',
      billable: true,
    });
  });

  it('lists a code and the codes under it, the heading marked not billable', async () => {
    const items = (await icd10(clinician, 'q=F43.1')).json<Icd10Json>().items;
    expect(items.map((i) => i.code)).toEqual(['F43.1', 'F43.10', 'F43.11', 'F43.12']);
    expect(items.find((i) => i.code === 'F43.1')?.billable).toBe(false);
  });

  it('spells out common abbreviations so they reach billable codes', async () => {
    const codesFor = async (q: string) =>
      (await icd10(clinician, `q=${q}&limit=50`)).json<Icd10Json>().items.map((i) => i.code);
    const ptsd = await codesFor('ptsd');
    expect(ptsd).toEqual(expect.arrayContaining(['F43.1', 'F43.10', 'F43.11', 'F43.12']));
    expect(ptsd.slice(0, 3).sort()).toEqual(['F43.10', 'F43.11', 'F43.12']);
    expect((await codesFor('gad'))[0]).toBe('F41.1');
    const mdd = await codesFor('MDD');
    expect(mdd).toEqual(expect.arrayContaining(['F32.0', 'F32.9', 'F33.0', 'F33.1']));
    expect(mdd.slice(0, 10).every((c) => c.startsWith('F32') || c.startsWith('F33'))).toBe(true);
    const adhd = await codesFor('adhd');
    expect(adhd.length).toBeGreaterThan(0);
    expect(adhd.every((c) => c.startsWith('F90'))).toBe(true);
    expect(await codesFor('ocd')).toEqual(expect.arrayContaining(['F42.9']));
    expect(await codesFor('ptsd%20chronic')).toEqual(['F43.12']);
  });

  it('honours the limit: 20 by default, at most 50', async () => {
    expect((await icd10(clinician, 'q=disorder')).json<Icd10Json>().items).toHaveLength(20);
    expect((await icd10(clinician, 'q=disorder&limit=3')).json<Icd10Json>().items).toHaveLength(3);
    expect((await icd10(clinician, 'q=disorder&limit=50')).json<Icd10Json>().items).toHaveLength(50);
    for (const bad of ['q=disorder&limit=51', 'q=disorder&limit=0', 'q=disorder&limit=ten']) {
      const res = await icd10(clinician, bad);
      expect(res.statusCode, bad).toBe(400);
      expect(isProblem(res)).toBe(true);
    }
  });

  it('refuses an empty, blank, missing or over-long query with 400 and the field path', async () => {
    for (const bad of ['q=', 'q=%20%20', '', `q=${'a'.repeat(101)}`]) {
      const res = await icd10(clinician, bad);
      expect(res.statusCode, bad).toBe(400);
      expect(isProblem(res)).toBe(true);
      expect(res.json<{ errors: { path: string }[] }>().errors).toEqual([
        expect.objectContaining({ path: 'querystring.q' }),
      ]);
    }
    expect((await icd10(clinician, 'q=anxiety&extra=1')).statusCode).toBe(400);
  });

  it('answers an unknown word with an empty list', async () => {
    const res = await icd10(clinician, 'q=xyzzyplugh');
    expect(res.statusCode).toBe(200);
    expect(res.json<Icd10Json>()).toEqual({ items: [] });
  });
});

describe('GET /api/v1/codes/cpt', () => {
  it('lists the override codes with their labels', async () => {
    const res = await clinician.get('/api/v1/codes/cpt');
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: { code: string; label: string }[] }>().items;
    expect(items).toEqual(CPT_CODES.map((c) => ({ code: c.code, label: c.label })));
    expect(items).toContainEqual({ code: '90837', label: 'Psychotherapy, about 60 min' });
  });
});

describe('GET /api/v1/codes/note-options', () => {
  interface Options {
    interventions: { value: string; label: string }[];
    mseDomains: { domain: string; label: string; options: string[] }[];
    riskLevels: { value: string; label: string }[];
    riskItems: { value: string; label: string }[];
    serviceTypes: { value: string; label: string }[];
    modalities: { value: string; label: string }[];
  }

  it('gives every pick list with plain-English labels', async () => {
    const res = await clinician.get('/api/v1/codes/note-options');
    expect(res.statusCode).toBe(200);
    const o = res.json<Options>();
    expect(o.interventions).toEqual(INTERVENTION_OPTIONS.map((i) => ({ value: i.value, label: i.label })));
    expect(o.mseDomains).toHaveLength(11);
    expect(o.mseDomains[0]).toEqual({
      domain: 'appearance',
      label: 'Appearance',
      options: expect.arrayContaining(['Well groomed']) as unknown,
    });
    expect(o.mseDomains.find((d) => d.domain === 'thoughtProcess')?.label).toBe('Thought process');
    expect(o.riskLevels).toEqual([
      { value: 'none', label: 'None' },
      { value: 'low', label: 'Low' },
      { value: 'moderate', label: 'Moderate' },
      { value: 'high', label: 'High' },
    ]);
    expect(o.riskItems.map((r) => r.label)).toEqual(['Suicidal ideation', 'Homicidal ideation', 'Self-harm']);
    expect(o.serviceTypes).toContainEqual({ value: 'individual', label: 'Individual' });
    expect(o.serviceTypes).toHaveLength(9);
    expect(o.modalities).toEqual([
      { value: 'in_person', label: 'In person' },
      { value: 'video', label: 'Video' },
      { value: 'phone', label: 'Phone' },
    ]);
    // Labels are words for people, never the stored identifiers.
    for (const list of [o.interventions, o.riskLevels, o.riskItems, o.serviceTypes, o.modalities])
      for (const item of list) expect(item.label).not.toMatch(/_/);
  });
});

describe('who may read the code sets', () => {
  it('any signed-in role, e.g. a scheduler', async () => {
    for (const url of ['/api/v1/codes/icd10?q=anxiety', '/api/v1/codes/cpt', '/api/v1/codes/note-options'])
      expect((await scheduler.get(url)).statusCode, url).toBe(200);
  });

  it('nobody signed out', async () => {
    for (const url of ['/api/v1/codes/icd10?q=anxiety', '/api/v1/codes/cpt', '/api/v1/codes/note-options']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
      expect(isProblem(res)).toBe(true);
    }
  });
});
