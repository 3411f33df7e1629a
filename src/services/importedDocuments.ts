import type { Tx } from '../db/database.js';
import { importedDocumentsOf, type ImportedDocumentRow } from '../db/importsRepo.js';
import { decryptField } from '../security/fieldEncryption.js';
import type { ChartImportedDocument } from './chartExport/chartExportTypes.js';
import { authorizeClientFor } from './clientService.js';
import { clientDataKey } from './clientKeys.js';
import { auditAs, inPractice, type Ctx } from './context.js';

// Documents another provider wrote, brought in by the FHIR import: read-only, decrypted here
// for the chart export (the loader calls this) and for the chart's imported-documents view.

const TABLE = 'imported_documents';

export function decryptImportedDocument(key: Buffer, row: ImportedDocumentRow, withResources: boolean) {
  return {
    title: decryptField(key, TABLE, row.id, 'title', row.title_enc),
    text: decryptField(key, TABLE, row.id, 'body', row.body_enc),
    resources: withResources
      ? (JSON.parse(decryptField(key, TABLE, row.id, 'resources', row.resources_enc)) as Record<
          string,
          unknown
        >[])
      : [],
  };
}

/**
 * The imported documents an export covers: notes and addenda under 'progress_notes', signed
 * plans under 'plans', within the date range when the document has a date.
 */
export async function importedDocumentsForExport(
  tx: Tx,
  key: Buffer,
  clientId: string,
  want: { notes: boolean; plans: boolean; from: string | null; to: string | null },
): Promise<ChartImportedDocument[]> {
  if (!want.notes && !want.plans) return [];
  const rows = (await importedDocumentsOf(tx, clientId)).filter(
    (r) =>
      (r.kind === 'plan' ? want.plans : want.notes) &&
      (!r.service_date ||
        ((!want.from || r.service_date >= want.from) && (!want.to || r.service_date <= want.to))),
  );
  const ids = new Set(rows.map((r) => r.id));
  return rows.map((r) => {
    const { title, text, resources } = decryptImportedDocument(key, r, true);
    return {
      id: r.id,
      title,
      contentType: r.content_type,
      date: r.service_date,
      importedAt: r.imported_at.toISOString(),
      importedBy: r.imported_by,
      source: r.source_system,
      text,
      kind: r.kind,
      // An addendum whose note falls outside the export stands alone.
      appendsId: r.parent_id && ids.has(r.parent_id) ? r.parent_id : null,
      authorName: r.author_name,
      authoredAt: r.authored_at?.toISOString() ?? null,
      signerName: r.signer_name,
      signedAt: r.signed_at?.toISOString() ?? null,
      fhirResources: resources,
    };
  });
}

export interface ImportedDocumentView {
  id: string;
  kind: 'note' | 'addendum' | 'plan';
  appendsId: string | null;
  title: string;
  source: string;
  serviceDate: string | null;
  authorName: string | null;
  authoredAt: string | null;
  signerName: string | null;
  signedAt: string | null;
  contentHash: string | null;
  importedAt: string;
  text: string;
}

/**
 * The most imported documents the chart view returns at once. One record from another system
 * holds far fewer; a larger one is shown in part (`truncated`) and read whole in the chart export.
 */
export const IMPORTED_DOCUMENTS_CAP = 500;

/** A client's imported documents with their text: one audited view, under the progress-note rule. */
export async function listImportedDocuments(
  ctx: Ctx,
  clientId: string,
): Promise<{ items: ImportedDocumentView[]; truncated: boolean }> {
  return inPractice(ctx, async (tx) => {
    await authorizeClientFor(tx, ctx, clientId, 'client.readNotes', {
      action: 'imported_document.list',
      category: 'progress_note',
    });
    const fetched = await importedDocumentsOf(tx, clientId, IMPORTED_DOCUMENTS_CAP + 1);
    const truncated = fetched.length > IMPORTED_DOCUMENTS_CAP;
    const rows = truncated ? fetched.slice(0, IMPORTED_DOCUMENTS_CAP) : fetched;
    const key = rows.length > 0 ? await clientDataKey(tx, ctx, clientId) : null;
    await auditAs(tx, ctx, {
      action: 'imported_document.list',
      category: 'progress_note',
      clientId,
      entityType: 'client',
      entityId: clientId,
      details: { count: rows.length, truncated },
    });
    const items = rows.map((r) => {
      const { title, text } = key ? decryptImportedDocument(key, r, false) : { title: '', text: '' };
      return {
        id: r.id,
        kind: r.kind,
        appendsId: r.parent_id,
        title,
        source: r.source_system,
        serviceDate: r.service_date,
        authorName: r.author_name,
        authoredAt: r.authored_at?.toISOString() ?? null,
        signerName: r.signer_name,
        signedAt: r.signed_at?.toISOString() ?? null,
        contentHash: r.content_hash,
        importedAt: r.imported_at.toISOString(),
        text,
      };
    });
    return { items, truncated };
  });
}
