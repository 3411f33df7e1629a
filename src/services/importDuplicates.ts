import type { Tx } from '../db/database.js';
import { accessFacts } from '../db/careTeamRepo.js';
import { clientVisibility, decideClientAction } from '../security/accessPolicy.js';
import type { Ctx } from './context.js';
import { practiceOf } from './noteService.js';

/**
 * An import warns about a likely duplicate (same name and date of birth) of a client already in
 * the practice. It names that client's record number only to someone who may see that client's
 * demographics: a clinician importing a record must not learn the code of a client outside their
 * care team (nor can an admin where the practice keeps clients from admins).
 */
export async function duplicateWarning(
  tx: Tx,
  ctx: Ctx,
  match: { id: string; code: string },
): Promise<string> {
  const practice = await practiceOf(tx, ctx);
  const settings = { adminsSeeAllClients: practice.admins_see_all_clients };
  let visible = clientVisibility(ctx.actor, settings).kind === 'all';
  if (!visible) {
    const facts = await accessFacts(tx, match.id, ctx.actor.userId);
    visible = decideClientAction(
      ctx.actor,
      'client.readDemographics',
      facts.relation,
      facts.settings,
    ).allowed;
  }
  return visible
    ? `Likely the existing client ${match.code} (same name and date of birth)`
    : 'Likely a client already in this practice (same name and date of birth) whose record you cannot see: ask an owner or admin';
}
