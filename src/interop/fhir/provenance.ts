import type { ChartExport, ChartSignature } from '../../services/chartExport/chartExportTypes.js';
import { RELEASE_CATEGORY_LABELS } from '../../domain/releaseScope.js';
import {
  codeSystem,
  derivedId,
  ext,
  prune,
  ref,
  SIGNATURE_TYPE,
  type Reference,
  type Resource,
} from './fhirCommon.js';

// Provenance: who signed (and co-signed) a note, an addendum or a plan version, with the
// SHA-256 content hash taken at signing; and one Provenance for the export itself.

const PARTICIPANT = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';
const AUTHOR_SIGNATURE = {
  system: SIGNATURE_TYPE,
  code: '1.2.840.10065.1.12.1.1',
  display: "Author's Signature",
};
const VERIFICATION_SIGNATURE = {
  system: SIGNATURE_TYPE,
  code: '1.2.840.10065.1.12.1.5',
  display: 'Verification Signature',
};

function who(s: ChartSignature): Reference {
  return ref('Practitioner', s.userId, s.credentials ? `${s.name}, ${s.credentials}` : s.name);
}

function signature(s: ChartSignature, type: object, hash: string | null): object {
  return {
    type: [type],
    when: s.signedAt,
    who: who(s),
    extension: [
      hash ? { url: ext('content-hash'), valueString: `sha256:${hash}` } : null,
      s.licenseNumber ? { url: ext('signer-licence'), valueString: s.licenseNumber } : null,
    ],
  };
}

export function signatureProvenance(p: {
  id: string;
  target: Reference;
  recorded: string;
  author: ChartSignature;
  authorHash: string | null;
  cosigner: ChartSignature | null;
}): Resource {
  return prune({
    resourceType: 'Provenance',
    id: p.id,
    target: [p.target],
    recorded: p.recorded,
    agent: [
      { type: { coding: [{ system: PARTICIPANT, code: 'author', display: 'Author' }] }, who: who(p.author) },
      p.cosigner
        ? {
            type: { coding: [{ system: PARTICIPANT, code: 'verifier', display: 'Verifier' }] },
            who: who(p.cosigner),
          }
        : null,
    ],
    signature: [
      signature(p.author, AUTHOR_SIGNATURE, p.authorHash),
      // The co-signature attests the same content the author signed.
      p.cosigner ? signature(p.cosigner, VERIFICATION_SIGNATURE, p.authorHash) : null,
    ],
  });
}

/** The export itself: what was exported, when, by whom, for which purpose and scope. */
export function exportProvenance(chart: ChartExport, compositionId: string | null): Resource {
  const scope = chart.scope;
  return prune({
    resourceType: 'Provenance',
    id: exportProvenanceId(chart),
    target: [ref('Patient', chart.client.id), compositionId ? ref('Composition', compositionId) : null],
    recorded: chart.exportedAt,
    activity: { text: `Casebook chart export (${scope.purpose})` },
    agent: [
      {
        type: { coding: [{ system: PARTICIPANT, code: 'custodian', display: 'Custodian' }] },
        who: ref('Organization', chart.practice.id, chart.practice.name),
      },
      {
        type: { coding: [{ system: PARTICIPANT, code: 'assembler', display: 'Assembler' }] },
        who: ref('Practitioner', chart.exportedBy.userId, chart.exportedBy.name || undefined),
        onBehalfOf: ref('Organization', chart.practice.id),
      },
    ],
    extension: [
      { url: ext('export-purpose'), valueCode: scope.purpose },
      scope.recipient ? { url: ext('export-recipient'), valueString: scope.recipient } : null,
      scope.from ? { url: ext('export-from'), valueDate: scope.from } : null,
      scope.to ? { url: ext('export-to'), valueDate: scope.to } : null,
      ...scope.categories.map((c) => ({
        url: ext('export-category'),
        valueCoding: { system: codeSystem('release-category'), code: c, display: RELEASE_CATEGORY_LABELS[c] },
      })),
      { url: ext('export-format-version'), valueInteger: chart.formatVersion },
    ],
  });
}

export const exportProvenanceId = (chart: ChartExport) =>
  derivedId('Provenance', 'export', chart.client.id, chart.exportedAt);
