import { listUsers } from '../db/usersRepo.js';
import * as importsRepo from '../db/importsRepo.js';
import { withTransaction, type Tx } from '../db/database.js';
import { decidePracticeAction } from '../security/accessPolicy.js';
import { newId } from '../security/ids.js';
import { isClinical } from '../domain/roles.js';
import { DomainError, Invalid } from '../domain/errors.js';
import {
  candidateFromRow,
  CsvUnreadable,
  duplicatesWithinFile,
  fieldOfSchemaPath,
  mappingProblems,
  nameDobKey,
  parseCsv,
  phoneFieldsOf,
  type CandidateRow,
  type ColumnMapping,
  type RowError,
} from '../interop/csv/clientCsv.js';
import { guessMapping } from '../interop/csv/clientCsvFields.js';
import { duplicateWarning } from './importDuplicates.js';
import { createClientIn, type NewClientInput } from './clientService.js';
import { AccessDenied, auditAs, inPractice, type Ctx } from './context.js';

/** The create-client schema of the API, passed in so that an imported row is held to the very same rules. */
export interface ClientBodySchema {
  safeParse(
    v: unknown,
  ):
    | { success: true; data: NewClientInput }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

export interface ClientImportRequest {
  csv: string;
  /** One choice per column (null: not imported); absent: guessed from the header names. */
  mapping?: ColumnMapping | undefined;
}

export const PREVIEW_ROWS = 20;
const MAX_REPORTED_ERRORS = 500;

interface Evaluation {
  headers: string[];
  mapping: ColumnMapping;
  mappingErrors: { path: string; message: string }[];
  rows: (CandidateRow & { input: NewClientInput | null; primaryClinicianId: string | null })[];
  errors: RowError[];
}

export interface ClientImportPreview {
  headers: string[];
  mapping: ColumnMapping;
  mappingErrors: { path: string; message: string }[];
  rowCount: number;
  errorRowCount: number;
  rows: { row: number; values: CandidateRow['values']; errors: RowError[] }[];
  errors: RowError[];
}

export interface ClientImportResult {
  importId: string;
  created: number;
  clients: { row: number; id: string; clientCode: string }[];
}

/** A client list with problems: 422, the problems per row, nothing written. */
export class ImportRejected extends DomainError {
  constructor(message: string, errors: { path: string; message: string }[], rowErrors: RowError[]) {
    super(message, 422, 'Unprocessable Content', {
      errors,
      rowErrors: rowErrors.slice(0, MAX_REPORTED_ERRORS),
    });
  }
}

function authorize(ctx: Ctx, action: string) {
  const d = decidePracticeAction(ctx.actor, 'imports.clientList');
  if (!d.allowed) throw new AccessDenied(d.reason, { action, category: 'import' });
}

async function evaluate(
  tx: Tx,
  ctx: Ctx,
  req: ClientImportRequest,
  schema: ClientBodySchema,
): Promise<Evaluation> {
  let parsed;
  try {
    parsed = parseCsv(req.csv);
  } catch (err) {
    if (err instanceof CsvUnreadable) throw new Invalid(err.message, [{ path: 'csv', message: err.message }]);
    throw err;
  }
  const mapping = req.mapping ?? guessMapping(parsed.headers);
  const mappingErrors = mappingProblems(parsed.headers, mapping);
  const rows = parsed.rows.map((cells, i) => ({
    ...candidateFromRow(cells, mapping, i + 2),
    input: null as NewClientInput | null,
    primaryClinicianId: null as string | null,
  }));
  if (mappingErrors.length > 0) return { headers: parsed.headers, mapping, mappingErrors, rows, errors: [] };

  for (const r of rows) {
    const res = schema.safeParse(r.body);
    if (res.success) r.input = res.data;
    else
      for (const issue of res.error.issues) {
        const field = fieldOfSchemaPath(issue.path, phoneFieldsOf(r));
        if (!r.errors.some((e) => e.field === field))
          r.errors.push({ row: r.row, field, message: issue.message });
      }
  }
  const byRow = new Map(rows.map((r) => [r.row, r]));
  for (const e of duplicatesWithinFile(rows)) byRow.get(e.row)?.errors.push(e);

  // The practice's own facts: its clinicians, its clients' codes, its clients born on these dates.
  const clinicians = new Map(
    (await listUsers(tx))
      .filter((u) => u.active && isClinical(u.roles))
      .map((u) => [u.email.toLowerCase(), u.id] as const),
  );
  const practiceId = ctx.actor.practiceId;
  const dates = [...new Set(rows.map((r) => r.dateOfBirth).filter((d): d is string => Boolean(d)))];
  const existing = new Map(
    (await importsRepo.clientsBornOn(tx, practiceId, dates)).map((c) => [
      nameDobKey(c.first, c.last, c.dob),
      c,
    ]),
  );
  const codes = await importsRepo.takenClientCodes(
    tx,
    practiceId,
    rows.map((r) => r.clientCode).filter((c): c is string => Boolean(c)),
  );
  for (const r of rows) {
    const add = (field: RowError['field'], message: string) => r.errors.push({ row: r.row, field, message });
    if (r.primaryClinicianEmail) {
      const id = clinicians.get(r.primaryClinicianEmail);
      if (id) r.primaryClinicianId = id;
      else add('primaryClinicianEmail', 'No active clinician in this practice has this email');
    }
    if (r.clientCode && codes.has(r.clientCode)) add('clientCode', 'Another client already has this code');
    const key = nameDobKey(r.values.legalFirstName ?? '', r.values.legalLastName ?? '', r.dateOfBirth ?? '');
    const match = r.dateOfBirth ? existing.get(key) : undefined;
    if (match) add(null, await duplicateWarning(tx, ctx, match));
  }
  const errors = rows.flatMap((r) => r.errors).sort((a, b) => a.row - b.row);
  return { headers: parsed.headers, mapping, mappingErrors, rows, errors };
}

/** Shows what an import would create, with every problem per row and field; writes nothing but its audit row. */
export async function previewClientImport(
  ctx: Ctx,
  req: ClientImportRequest,
  schema: ClientBodySchema,
): Promise<ClientImportPreview> {
  return inPractice(ctx, async (tx) => {
    authorize(ctx, 'import.clients.preview');
    const e = await evaluate(tx, ctx, req, schema);
    const errorRowCount = new Set(e.errors.map((x) => x.row)).size;
    await auditAs(tx, ctx, {
      action: 'import.clients.preview',
      category: 'import',
      details: { rows: e.rows.length, errorRows: errorRowCount },
    });
    return {
      headers: e.headers,
      mapping: e.mapping,
      mappingErrors: e.mappingErrors,
      rowCount: e.rows.length,
      errorRowCount,
      rows: e.rows.slice(0, PREVIEW_ROWS).map((r) => ({ row: r.row, values: r.values, errors: r.errors })),
      errors: e.errors.slice(0, MAX_REPORTED_ERRORS),
    };
  });
}

/**
 * Imports the whole list in one transaction, validated again from the file itself (never from a
 * preview): any problem in any row refuses all of it with 422 and the problems, writing no client.
 */
export async function importClients(
  ctx: Ctx,
  req: ClientImportRequest,
  schema: ClientBodySchema,
): Promise<ClientImportResult> {
  try {
    return await inPractice(ctx, async (tx) => {
      authorize(ctx, 'import.clients');
      const e = await evaluate(tx, ctx, req, schema);
      if (e.mappingErrors.length > 0)
        throw new ImportRejected('Choose a column for each required field', e.mappingErrors, []);
      if (e.rows.length === 0)
        throw new Invalid('The file has no rows to import', [{ path: 'csv', message: 'No rows' }]);
      if (e.errors.length > 0) {
        const rowsWithErrors = new Set(e.errors.map((x) => x.row)).size;
        throw new ImportRejected(
          `${rowsWithErrors} ${rowsWithErrors === 1 ? 'row has' : 'rows have'} problems; nothing was imported`,
          e.errors
            .slice(0, MAX_REPORTED_ERRORS)
            .map((x) => ({ path: `rows.${x.row}.${x.field ?? 'row'}`, message: x.message })),
          e.errors,
        );
      }
      const importId = newId();
      await importsRepo.insertImport(tx, {
        id: importId,
        practiceId: ctx.actor.practiceId,
        kind: 'csv_clients',
        importedBy: ctx.actor.userId,
        sourceSystem: null,
        clientCount: e.rows.length,
        summary: { rows: e.rows.length },
      });
      const created: ClientImportResult['clients'] = [];
      for (const r of e.rows) {
        // evaluate() left no row without its validated input, or it would have reported an error.
        if (!r.input) throw new Error('unvalidated import row');
        const c = await createClientIn(
          tx,
          ctx,
          { ...r.input, primaryClinicianId: r.primaryClinicianId },
          { clientCode: r.clientCode, status: r.status, importId },
        );
        created.push({ row: r.row, id: c.id, clientCode: c.clientCode });
      }
      await auditAs(tx, ctx, {
        action: 'import.clients',
        category: 'import',
        entityType: 'import',
        entityId: importId,
        details: { created: created.length, kind: 'csv_clients' },
      });
      return { importId, created: created.length, clients: created };
    });
  } catch (err) {
    if (err instanceof ImportRejected || err instanceof Invalid) {
      // The refusal is on record too: who tried, how many rows failed (never the rows themselves).
      const rowErrors = err.extra.rowErrors;
      await withTransaction(ctx.db, ctx.actor.practiceId, (tx) =>
        auditAs(tx, ctx, {
          action: 'import.clients',
          category: 'import',
          outcome: 'failure',
          details: { errors: Array.isArray(rowErrors) ? rowErrors.length : 0 },
        }),
      );
    }
    throw err;
  }
}
