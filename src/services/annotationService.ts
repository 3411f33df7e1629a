import * as repo from '../db/annotationsRepo.js';
import type { AnnotationRow } from '../db/annotationsRepo.js';
import { decryptField, encryptField } from '../security/fieldEncryption.js';
import { newId } from '../security/ids.js';
import { AccessDenied, auditAs, inPractice, type Ctx } from './context.js';
import { authorizeClientFor } from './clientService.js';
import { clientDataKey } from './clientKeys.js';

// Annotations on a client's charts and timeline. The text is clinical ("started sertraline"),
// so it is encrypted and read under the progress-note rule.

export interface AnnotationView {
  id: string;
  date: string;
  text: string;
  createdBy: { id: string; name: string };
  createdAt: string;
}

const TABLE = 'chart_annotations';
const CATEGORY = 'chart_annotation';
const ENTITY = 'chart_annotation';

function view(row: AnnotationRow, key: Buffer): AnnotationView {
  return {
    id: row.id,
    date: row.date,
    text: decryptField(key, TABLE, row.id, 'text', row.text_enc),
    createdBy: { id: row.created_by, name: row.created_by_name },
    createdAt: row.created_at.toISOString(),
  };
}

/** The client's live annotations ordered by date, audited as one view. */
export async function listAnnotations(ctx: Ctx, clientId: string): Promise<{ items: AnnotationView[] }> {
  return inPractice(ctx, async (tx) => {
    const action = 'chart_annotation.list';
    await authorizeClientFor(tx, ctx, clientId, 'client.readNotes', { action, category: CATEGORY });
    const rows = await repo.annotationsOfClient(tx, clientId);
    const key = await clientDataKey(tx, ctx, clientId);
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId,
      entityType: 'client',
      entityId: clientId,
      details: { count: rows.length },
    });
    return { items: rows.map((r) => view(r, key)) };
  });
}

export async function addAnnotation(
  ctx: Ctx,
  clientId: string,
  input: { date: string; text: string },
): Promise<AnnotationView> {
  return inPractice(ctx, async (tx) => {
    const action = 'chart_annotation.create';
    await authorizeClientFor(tx, ctx, clientId, 'client.writeNotes', { action, category: CATEGORY });
    const key = await clientDataKey(tx, ctx, clientId);
    const id = newId();
    await repo.insertAnnotation(tx, {
      id,
      practiceId: ctx.actor.practiceId,
      clientId,
      date: input.date,
      textEnc: encryptField(key, TABLE, id, 'text', input.text),
      createdBy: ctx.actor.userId,
      at: ctx.clock(),
    });
    const row = await repo.getAnnotation(tx, id);
    if (!row) throw new Error('annotation insert not visible');
    await auditAs(tx, ctx, { action, category: CATEGORY, clientId, entityType: ENTITY, entityId: id });
    return view(row, key);
  });
}

/** Takes an annotation off the charts; it stays in the record. Withdrawing twice is a no-op. */
export async function withdrawAnnotation(ctx: Ctx, id: string): Promise<void> {
  return inPractice(ctx, async (tx) => {
    const action = 'chart_annotation.withdraw';
    const row = await repo.getAnnotation(tx, id);
    if (!row)
      throw new AccessDenied(
        'Annotation not found',
        { action, category: CATEGORY, entityType: ENTITY, entityId: id },
        404,
      );
    await authorizeClientFor(tx, ctx, row.client_id, 'client.writeNotes', { action, category: CATEGORY });
    const changed = await repo.withdrawAnnotation(tx, id, ctx.actor.userId, ctx.clock());
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId: row.client_id,
      entityType: ENTITY,
      entityId: id,
      details: { changed },
    });
  });
}
