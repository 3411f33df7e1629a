import { createHash } from 'node:crypto';
import { loadChartForExport } from './chartExport/loadChart.js';
import { chartBundle } from '../interop/fhir/chartBundle.js';
import { renderChartPdf } from '../documents/chartPdf.js';
import { getClient } from '../db/clientsRepo.js';
import { RELEASE_CATEGORY_LABELS } from '../domain/releaseScope.js';
import { NotFound } from '../domain/errors.js';
import { auditAs, inPractice, type Ctx } from './context.js';
import { authorizeClientFor } from './clientService.js';
import {
  authorizeRelease,
  recordDisclosure,
  requireOwnPsychotherapyNotes,
  withRefusalAudit,
  type ReleaseRequest,
} from './releaseGate.js';

// A release of a client's records to another provider (issue 5 §3): the gate, then in the SAME
// transaction the data is read, the file is built, the disclosure is logged and audited.

export interface ReleaseInput extends ReleaseRequest {
  format: 'fhir' | 'pdf';
}

export interface ReleasedFile {
  disclosureId: string;
  filename: string;
  contentType: string;
  body: Buffer;
}

export async function releaseRecords(ctx: Ctx, clientId: string, input: ReleaseInput): Promise<ReleasedFile> {
  return withRefusalAudit(ctx, () =>
    inPractice(ctx, async (tx) => {
      const action = 'release.create';
      await authorizeClientFor(tx, ctx, clientId, 'client.release', { action, category: 'disclosure' });
      const approved = await authorizeRelease(tx, ctx, clientId, { ...input, on: undefined });
      await requireOwnPsychotherapyNotes(tx, ctx, approved);
      const client = await getClient(tx, clientId);
      if (!client) throw new NotFound('Client');
      const loaded = await loadChartForExport(tx, ctx, clientId, approved.scope);
      // A release carries the authorization behind it (a Part 2 release must carry its consent),
      // never the client's other consents: they name other recipients and purposes, and a
      // psychotherapy-note authorization would tell this recipient that such notes exist.
      const chart = { ...loaded, consents: loaded.consents.filter((c) => c.id === approved.consentId) };
      const body =
        input.format === 'fhir'
          ? Buffer.from(JSON.stringify(chartBundle(chart), null, 2))
          : await renderChartPdf(chart);
      const sha = createHash('sha256').update(body).digest('hex');
      const period =
        approved.from || approved.to
          ? `records ${approved.from ?? 'from the start'} to ${approved.to ?? approved.on}`
          : 'all dates';
      const what = approved.categories.map((c) => RELEASE_CATEGORY_LABELS[c]).join(', ');
      const { id } = await recordDisclosure(tx, ctx, {
        clientId,
        disclosedOn: approved.on,
        recipient: approved.recipient,
        categories: approved.categories,
        description: `${what}; ${period}; ${input.format === 'fhir' ? 'FHIR bundle' : 'PDF chart'}`,
        purpose: approved.purpose,
        basis: approved.basis,
        consentId: approved.consentId,
        format: input.format,
        channel: 'casebook',
        recordsFrom: approved.from,
        recordsTo: approved.to,
        part2: approved.part2,
        contentSha256: sha,
      });
      await auditAs(tx, ctx, {
        action: 'chart_export.release',
        category: 'chart_export',
        clientId,
        entityType: 'disclosure',
        entityId: id,
        details: {
          format: input.format,
          categories: approved.categories.join(','),
          from: approved.from,
          to: approved.to,
          basis: approved.basis,
          part2: approved.part2,
          bytes: body.length,
        },
      });
      const stamp = approved.on;
      return {
        disclosureId: id,
        filename: `records-${client.client_code}-${stamp}.${input.format === 'fhir' ? 'json' : 'pdf'}`,
        contentType: input.format === 'fhir' ? 'application/fhir+json' : 'application/pdf',
        body,
      };
    }),
  );
}
