import { loadIcd10Catalog, type Icd10Catalog } from '../domain/icd10.js';

/** Loads the ICD-10-CM catalog on first use and keeps it for the deps that hold this loader. */
export function icd10OnDemand(): () => Promise<Icd10Catalog> {
  let loading: Promise<Icd10Catalog> | undefined;
  return () => (loading ??= loadIcd10Catalog());
}
