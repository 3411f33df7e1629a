import * as backgroundRepo from '../db/clientBackgroundRepo.js';
import { BACKGROUND_FIELDS, type BackgroundField } from '../db/clientBackgroundRepo.js';
import { decryptField, encryptField } from '../security/fieldEncryption.js';
import { clientDataKey } from './clientKeys.js';
import { NotFound, StaleVersion } from '../domain/errors.js';
import { auditAs, inPractice, type Ctx } from './context.js';
import { authorizeClient } from './clientService.js';

export type Background = Record<BackgroundField, string> & {
  updatedAt: string;
  updatedBy: string | null;
  version: number;
};
export type BackgroundPatch = Partial<Record<BackgroundField, string>>;

const TABLE = 'client_backgrounds';

function decrypt(key: Buffer, row: backgroundRepo.BackgroundRow): Background {
  const out = {} as Record<BackgroundField, string>;
  for (const f of BACKGROUND_FIELDS) {
    const blob = row[f];
    out[f] = blob ? decryptField(key, TABLE, row.client_id, f, blob) : '';
  }
  return { ...out, updatedAt: row.updated_at.toISOString(), updatedBy: row.updated_by, version: row.version };
}

/** Reads the encrypted clinical background; the view is audited as its own category. */
export async function getBackground(ctx: Ctx, clientId: string): Promise<Background> {
  return inPractice(ctx, async (tx) => {
    const { grounds } = await authorizeClient(tx, ctx, clientId, 'client.readBackground');
    const row = await backgroundRepo.getBackground(tx, clientId);
    if (!row) throw new NotFound('Background');
    const result = decrypt(await clientDataKey(tx, ctx, clientId), row);
    await auditAs(tx, ctx, {
      action: 'background.view',
      category: 'background',
      clientId,
      entityType: 'client_background',
      entityId: clientId,
      details: { grounds },
    });
    return result;
  });
}

/** Encrypts each changed field with the client's data key, bound to row and field name. */
export async function updateBackground(
  ctx: Ctx,
  clientId: string,
  expectedVersion: number,
  patch: BackgroundPatch,
): Promise<Background> {
  return inPractice(ctx, async (tx) => {
    await authorizeClient(tx, ctx, clientId, 'client.updateBackground');
    const current = await backgroundRepo.getBackground(tx, clientId);
    if (!current) throw new NotFound('Background');
    const key = await clientDataKey(tx, ctx, clientId);
    const sealed: Partial<Record<BackgroundField, Buffer | null>> = {};
    for (const f of Object.keys(patch) as BackgroundField[]) {
      const text = patch[f] ?? '';
      sealed[f] = text === '' ? null : encryptField(key, TABLE, clientId, f, text);
    }
    const row = await backgroundRepo.updateBackground(
      tx,
      clientId,
      expectedVersion,
      ctx.actor.userId,
      sealed,
    );
    if (!row)
      throw new StaleVersion(current.version, decrypt(key, current), {
        action: 'background.update',
        category: 'background',
        clientId,
        entityType: 'client_background',
        entityId: clientId,
      });
    await auditAs(tx, ctx, {
      action: 'background.update',
      category: 'background',
      clientId,
      entityType: 'client_background',
      entityId: clientId,
      details: { fields: Object.keys(patch).join(',') },
    });
    return decrypt(key, row);
  });
}
