import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import * as repo from '../../db/practiceExportsRepo.js';
import { decodeCursor, encodeCursor } from '../../domain/keysetCursor.js';
import { Conflict, DomainError, NotFound } from '../../domain/errors.js';
import { decidePracticeAction } from '../../security/accessPolicy.js';
import { newId } from '../../security/ids.js';
import { AccessDenied, auditAs, inPractice, type AuditFacts, type Ctx } from '../context.js';

export interface PracticeExportView {
  id: string;
  status: repo.PracticeExportStatus;
  requestedAt: string;
  requestedBy: string;
  startedAt: string | null;
  finishedAt: string | null;
  expiresAt: string | null;
  clientsTotal: number | null;
  clientsDone: number;
  resourcesWritten: number;
  bytes: number;
  sha256: string | null;
  error: string | null;
}

export function toView(r: repo.PracticeExportRow): PracticeExportView {
  return {
    id: r.id,
    status: r.status,
    requestedAt: r.requested_at.toISOString(),
    requestedBy: r.requested_by,
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
    expiresAt: r.expires_at?.toISOString() ?? null,
    clientsTotal: r.clients_total,
    clientsDone: r.clients_done,
    resourcesWritten: r.resources_written,
    bytes: r.bytes_written,
    sha256: r.sha256,
    error: r.error,
  };
}

/** Raised when this server has no folder for export archives (AppDeps.exportsDir unset). */
export class ExportsUnavailable extends DomainError {
  constructor() {
    super('This server has no data folder for export archives.', 503, 'Service Unavailable');
  }
}

export function exportsDirOf(ctx: { exportsDir?: string }): string {
  if (!ctx.exportsDir) throw new ExportsUnavailable();
  return ctx.exportsDir;
}

export function archivePath(exportsDir: string, id: string): string {
  return join(exportsDir, `${id}.zip`);
}

function facts(action: string, id?: string): AuditFacts {
  return { action, category: 'practice_export', entityType: 'practice_export', ...(id && { entityId: id }) };
}

/** Owner only; anyone else is refused and the refusal audited (by inPractice). */
function requireOwner(ctx: Ctx, action: string, id?: string): void {
  const d = decidePracticeAction(ctx.actor, 'practice.export');
  if (!d.allowed) throw new AccessDenied(d.reason, facts(action, id));
}

async function jobOf(tx: Tx, ctx: Ctx, id: string): Promise<repo.PracticeExportRow> {
  const row = await repo.getPracticeExport(tx, ctx.actor.practiceId, id);
  if (!row) throw new NotFound('Export');
  return row;
}

/** Queues an export of every client's record (all but psychotherapy notes). Audited. */
export async function requestPracticeExport(ctx: Ctx): Promise<PracticeExportView> {
  return inPractice(ctx, async (tx) => {
    requireOwner(ctx, 'practice_export.request');
    exportsDirOf(ctx);
    if (await repo.hasActivePracticeExport(tx, ctx.actor.practiceId))
      throw new Conflict('An export of this practice is already in progress.');
    const row = await repo.insertPracticeExport(tx, {
      id: newId(),
      practiceId: ctx.actor.practiceId,
      requestedBy: ctx.actor.userId,
    });
    await auditAs(tx, ctx, facts('practice_export.request', row.id));
    return toView(row);
  });
}

const cursorShape = z.tuple([z.iso.datetime(), z.uuid()]);

/** The practice's exports, newest first. Job rows hold no client data: not audited as a view. */
export async function listPracticeExports(
  ctx: Ctx,
  q: { cursor?: string | undefined; limit?: number | undefined },
): Promise<{ items: PracticeExportView[]; nextCursor: string | null }> {
  const after = q.cursor ? decodeCursor(q.cursor, cursorShape) : null;
  const limit = q.limit ?? 20;
  return inPractice(ctx, async (tx) => {
    requireOwner(ctx, 'practice_export.list');
    const rows = await repo.listPracticeExports(
      tx,
      ctx.actor.practiceId,
      limit + 1,
      after ? { requestedAt: after[0], id: after[1] } : null,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toView),
      nextCursor:
        rows.length > limit && last ? encodeCursor([last.requested_at.toISOString(), last.id]) : null,
    };
  });
}

export async function getPracticeExport(ctx: Ctx, id: string): Promise<PracticeExportView> {
  return inPractice(ctx, async (tx) => {
    requireOwner(ctx, 'practice_export.view', id);
    return toView(await jobOf(tx, ctx, id));
  });
}

/** Cancels a queued or running export; the runner stops at its next progress update. */
export async function cancelPracticeExport(ctx: Ctx, id: string): Promise<PracticeExportView> {
  return inPractice(ctx, async (tx) => {
    requireOwner(ctx, 'practice_export.cancel', id);
    await jobOf(tx, ctx, id);
    if (!(await repo.cancelPracticeExport(tx, ctx.actor.practiceId, id)))
      throw new Conflict('Only an export that has not finished can be cancelled.');
    await auditAs(tx, ctx, facts('practice_export.cancel', id));
    return toView(await jobOf(tx, ctx, id));
  });
}

export interface ExportDownload {
  stream: ReadStream;
  size: number;
  sha256: string;
  filename: string;
}

/** Opens a finished archive for download; each download is one audit row. */
export async function openPracticeExportDownload(ctx: Ctx, id: string): Promise<ExportDownload> {
  return inPractice(ctx, async (tx) => {
    requireOwner(ctx, 'practice_export.download', id);
    const row = await jobOf(tx, ctx, id);
    if (row.status !== 'done' || !row.sha256)
      throw new Conflict(
        row.status === 'expired'
          ? 'This export has expired and its file was deleted; start a new export.'
          : 'This export has not finished.',
      );
    const path = archivePath(exportsDirOf(ctx), id);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      throw new NotFound('Export file');
    }
    await auditAs(tx, ctx, { ...facts('practice_export.download', id), details: { bytes: size } });
    const date = (row.finished_at ?? row.requested_at).toISOString().slice(0, 10);
    return {
      stream: createReadStream(path),
      size,
      sha256: row.sha256,
      filename: `casebook-practice-export-${date}.zip`,
    };
  });
}
