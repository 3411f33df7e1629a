import { getClientKey } from '../db/clientBackgroundRepo.js';
import type { Tx } from '../db/database.js';
import { unwrapDataKey } from '../security/fieldEncryption.js';
import { NotFound } from '../domain/errors.js';
import type { Ctx } from './context.js';

/** The client's data key, unwrapped with the practice key; gone when the record was erased. */
export async function clientDataKey(tx: Tx, ctx: Ctx, clientId: string): Promise<Buffer> {
  const wrapped = await getClientKey(tx, clientId);
  if (!wrapped) throw new NotFound('Client data key (the record was erased)');
  return unwrapDataKey(ctx.keys.practiceKey(ctx.actor.practiceId), clientId, wrapped);
}
