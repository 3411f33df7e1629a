import type { ChartConsent, ChartExport } from '../../services/chartExport/chartExportTypes.js';
import { RELEASE_CATEGORY_LABELS } from '../../domain/releaseScope.js';
import { CASEBOOK_FHIR, codeSystem, concept, ext, LOINC, prune, ref, type Resource } from './fhirCommon.js';

// Consents and authorizations as Consent. Releases (authorizations to disclose) are scope
// patient-privacy; consents to care are scope treatment. The policy is Casebook's own URI per
// kind (Consent needs a policy or policyRule, and no standard code fits every kind).

const SCOPE = 'http://terminology.hl7.org/CodeSystem/consentscope';
const RELEASES = new Set(['release_of_information', 'psychotherapy_note_authorization']);

function status(c: ChartConsent): string {
  switch (c.status) {
    case 'active':
      return 'active';
    case 'not_yet_effective':
      return 'proposed';
    default:
      return 'inactive';
  }
}

export function consentResource(chart: ChartExport, c: ChartConsent): Resource {
  const release = RELEASES.has(c.kind);
  return prune({
    resourceType: 'Consent',
    id: c.id,
    status: status(c),
    scope: release
      ? concept(SCOPE, 'patient-privacy', 'Privacy Consent')
      : concept(SCOPE, 'treatment', 'Treatment'),
    category: [
      {
        coding: [
          { system: LOINC, code: '59284-0', display: 'Patient Consent' },
          { system: codeSystem('consent-kind'), code: c.kind, display: c.title },
        ],
        text: c.title,
      },
    ],
    patient: ref('Patient', chart.client.id),
    dateTime: c.signedOn ?? c.recordedAt,
    organization: [ref('Organization', chart.practice.id)],
    policy: [{ uri: `${CASEBOOK_FHIR}/policy/${c.kind}` }],
    provision: {
      type: 'permit',
      period:
        c.effectiveFrom || c.expiresOn
          ? { start: c.effectiveFrom ?? undefined, end: c.expiresOn ?? undefined }
          : undefined,
      actor: c.recipient
        ? [
            {
              role: concept(
                'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
                'IRCP',
                'information recipient',
              ),
              reference: { display: c.recipient },
            },
          ]
        : [],
    },
    extension: [
      { url: ext('consent-status'), valueCode: c.status },
      c.purpose ? { url: ext('consent-purpose'), valueString: c.purpose } : null,
      ...c.categories.map((k) => ({
        url: ext('release-category'),
        valueCoding: { system: codeSystem('release-category'), code: k, display: RELEASE_CATEGORY_LABELS[k] },
      })),
      c.revokedAt ? { url: ext('revoked-at'), valueDateTime: c.revokedAt } : null,
      c.recordedBy ? { url: ext('recorded-by'), valueReference: ref('Practitioner', c.recordedBy) } : null,
      { url: ext('recorded-at'), valueDateTime: c.recordedAt },
      c.hasScan ? { url: ext('has-scan'), valueBoolean: true } : null,
    ],
  });
}
