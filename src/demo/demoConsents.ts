import { recordConsent } from '../services/consentService.js';
import { recordOutsideDisclosure } from '../services/disclosureService.js';
import { localDateOf } from '../domain/recurrence.js';
import type { DemoCaseload } from './demoSessions.js';

const TIME_ZONE = 'America/Chicago';
const DAY = 86_400_000;

/**
 * Consents for the demo caseload, through the same services the web app uses: treatment and
 * telehealth consent for every active client (signed at intake), a release of information to a
 * named primary care physician for the first, and one release recorded under it (faxed summary).
 */
export async function loadDemoConsents(caseload: DemoCaseload[], now: Date): Promise<void> {
  const intake = localDateOf(new Date(now.getTime() - 60 * DAY), TIME_ZONE);
  for (const c of caseload) {
    for (const kind of ['treatment', 'telehealth'] as const)
      await recordConsent(c.ctx, c.clientId, {
        kind,
        signedOn: intake,
        signer: 'client',
        signerName: c.clientName,
        signatureMethod: 'typed',
      });
  }
  const first = caseload[0];
  if (!first) return;
  const roi = await recordConsent(first.ctx, first.clientId, {
    kind: 'release_of_information',
    categories: ['demographics', 'diagnoses', 'plans'],
    recipient: {
      type: 'person',
      name: 'Dr. Helen Okafor, MD (primary care physician)',
      contact: 'Riverbend Family Medicine, 410 Main St, Springfield IL 62701; fax (217) 555-0143',
    },
    purpose: 'Coordination of care with the primary care physician',
    signedOn: intake,
    expiresOn: localDateOf(new Date(now.getTime() + 305 * DAY), TIME_ZONE),
    signer: 'client',
    signerName: first.clientName,
    signatureMethod: 'typed',
  });
  await recordOutsideDisclosure(first.ctx, first.clientId, {
    authorizationId: roi.id,
    on: localDateOf(new Date(now.getTime() - 14 * DAY), TIME_ZONE),
    categories: ['diagnoses', 'plans'],
    format: 'fax',
    description: 'Diagnosis and treatment plan summary, faxed to the PCP',
  });
}
