import type { z } from 'zod';
import type { bundleShape } from './importShapes.js';

// Shared by the bundle, document and measure readers of the FHIR import.

const CASEBOOK_EXT = 'https://fhir.casebook.dev/StructureDefinition/';
export const PSYCHOTHERAPY_CODE = 'PSYTHPN';

/** A bundle that cannot be imported at all (422), with the path of each problem. */
export class BundleUnreadable extends Error {
  constructor(
    message: string,
    readonly problems: { path: string; message: string }[],
  ) {
    super(message);
  }
}

export type Entry = z.infer<typeof bundleShape>['entry'][number]['resource'];

const issuesAt = (prefix: string, e: z.ZodError) =>
  e.issues.slice(0, 20).map((i) => ({ path: [prefix, ...i.path.map(String)].join('.'), message: i.message }));

export function parseAs<S extends z.ZodType>(shape: S, value: unknown, path: string): z.infer<S> {
  const r = shape.safeParse(value);
  if (!r.success)
    throw new BundleUnreadable('The bundle has a resource Casebook cannot read', issuesAt(path, r.error));
  return r.data;
}

/** The value of one of Casebook's own extensions (other systems' extensions are not trusted by name). */
export function extValue(exts: { url: string; [k: string]: unknown }[] | undefined, name: string): unknown {
  const e = exts?.find((x) => x.url === CASEBOOK_EXT + name);
  const k = e ? Object.keys(e).find((key) => key.startsWith('value')) : undefined;
  return e && k ? e[k] : undefined;
}

export const isPsychotherapyNote = (r: Entry) =>
  (r.meta?.security ?? []).some((s) => s.code === PSYCHOTHERAPY_CODE);
