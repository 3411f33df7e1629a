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
    const { text, resources } = decryptImportedDocument(key, r, true);
    return {
      id: r.id,
      title: r.title,
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

/** A client's imported documents with their text: one audited view, under the progress-note rule. */
export async function listImportedDocuments(ctx: Ctx, clientId: string): Promise<ImportedDocumentView[]> {
  return inPractice(ctx, async (tx) => {
    await authorizeClientFor(tx, ctx, clientId, 'client.readNotes', {
      action: 'imported_document.list',
      category: 'progress_note',
    });
    const rows = await importedDocumentsOf(tx, clientId);
    const key = rows.length > 0 ? await clientDataKey(tx, ctx, clientId) : null;
    await auditAs(tx, ctx, {
      action: 'imported_document.list',
      category: 'progress_note',
      clientId,
      entityType: 'client',
      entityId: clientId,
      details: { count: rows.length },
    });
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      appendsId: r.parent_id,
      title: r.title,
      source: r.source_system,
      serviceDate: r.service_date,
      authorName: r.author_name,
      authoredAt: r.authored_at?.toISOString() ?? null,
      signerName: r.signer_name,
      signedAt: r.signed_at?.toISOString() ?? null,
      contentHash: r.content_hash,
      importedAt: r.imported_at.toISOString(),
      text: key ? decryptImportedDocument(key, r, false).text : '',
    }));
  });
}
