import { createHash } from 'node:crypto';
import { clientHoldsPart2 } from '../db/consentsRepo.js';
import * as repo from '../db/recordRequestsRepo.js';
import { Invalid } from '../domain/errors.js';
import { clientCopyScope } from '../domain/releaseScope.js';
import { checkOpen, type DeliveryMethod } from '../domain/recordRequests.js';
import { renderChartPdf } from '../documents/chartPdf.js';
import { chartBundle } from '../interop/fhir/chartBundle.js';
import { auditAs, inPractice, type Ctx } from './context.js';
import { loadChartForExport } from './chartExport/loadChart.js';
import { recordDisclosure } from './releaseGate.js';
import { authorizeCopyRequest } from './copyRequestService.js';
import { copyView } from './recordRequestViews.js';

// The client's own copy (45 CFR 164.524): everything in the designated record set but
// psychotherapy notes, built by the shared chart loader for clientCopyScope() (so psychotherapy
// notes are never even read), as the PDF chart or a FHIR R4 Bundle. Each copy produced is
// recorded as a disclosure to the individual (not part of the HIPAA accounting).

export interface ClientCopy {
  /** No client name: file names travel into download folders, mail and logs. */
  filename: string;
  contentType: string;
  body: Buffer;
}

const DELIVERY_LABELS: Record<DeliveryMethod, string> = {
  download: 'Secure download',
  email: 'E-mail',
  mail: 'Mail',
  in_person: 'Handed over in person',
};

const FORMATS = {
  pdf: { contentType: 'application/pdf', extension: 'pdf' },
  fhir: { contentType: 'application/fhir+json', extension: 'fhir.json' },
} as const;

/** Produces the copy in one of the formats the request asked for; only the care team or owner/admin. */
export async function produceClientCopy(
  ctx: Ctx,
  requestId: string,
  format: 'pdf' | 'fhir',
): Promise<ClientCopy> {
  return inPractice(ctx, async (tx) => {
    const action = 'record_request.copy';
    const { row, key, today } = await authorizeCopyRequest(tx, ctx, requestId, action, true);
    // Each copy is a disclosure: once the request is fulfilled, a new copy needs a new request.
    checkOpen(row, 'produced again');
    if (row.format !== 'both' && row.format !== format)
      throw new Invalid(`The client asked for ${row.format.toUpperCase()}`, [
        { path: 'format', message: `This request is for ${row.format.toUpperCase()}` },
      ]);
    const scope = { ...clientCopyScope(), recipient: recipientLabel(row) };
    const chart = await loadChartForExport(tx, ctx, row.client_id, scope);
    const body =
      format === 'pdf'
        ? await renderChartPdf(chart)
        : Buffer.from(JSON.stringify(chartBundle(chart), null, 2));
    const sha256 = createHash('sha256').update(body).digest('hex');
    const view = copyView(row, key, today);
    const { id: disclosureId } = await recordDisclosure(tx, ctx, {
      clientId: row.client_id,
      disclosedOn: today,
      recipient: {
        type: 'person',
        name: view.representative
          ? `${view.representative.name} (${view.representative.relationship})`
          : `${chart.client.legalFirstName} ${chart.client.legalLastName}`,
        contact: DELIVERY_LABELS[view.delivery],
      },
      categories: [...scope.categories],
      description: `Copy of the record requested on ${row.received_on} (${format.toUpperCase()})`,
      purpose: 'At the request of the individual (45 CFR 164.524)',
      basis: 'individual_request',
      format,
      channel: 'casebook',
      // The log says whether Part 2 records left, whether or not the copy carries the notice.
      part2: await clientHoldsPart2(tx, row.client_id),
      contentSha256: sha256,
    });
    await repo.markCopyProduced(tx, row.id, ctx.clock(), disclosureId);
    await auditAs(tx, ctx, {
      action,
      category: 'record_request',
      clientId: row.client_id,
      entityType: 'record_copy_request',
      entityId: row.id,
      details: { format, sha256, disclosureId },
    });
    const stamp = today.replaceAll('-', '');
    return {
      filename: `record-copy-${chart.client.clientCode}-${stamp}.${FORMATS[format].extension}`,
      contentType: FORMATS[format].contentType,
      body,
    };
  });
}

function recipientLabel(row: repo.CopyRequestRow): string {
  return row.requester === 'client' ? 'The client (own request)' : 'The client’s personal representative';
}
