import * as clients from '../db/clientsRepo.js';
import * as careTeamRepo from '../db/careTeamRepo.js';
import { getUser } from '../db/usersRepo.js';
import { Invalid, StaleVersion } from '../domain/errors.js';
import { isClinical } from '../domain/roles.js';
import { auditAs, inPractice, type Ctx } from './context.js';
import { accessSummary, assemble, authorizeClient, type ClientRecord } from './clientService.js';
import { moveCaseload } from '../db/notesRepo.js';
import type { Tx } from '../db/database.js';
import { recordHandover } from './handoverSnapshot.js';

/**
 * The primary clinician changes (the client row is already updated): the caseload moves, the change
 * is audited, and a hand-over with its summary snapshot is recorded for the new clinician to read.
 * Every way of changing the primary clinician comes through here.
 */
export async function movePrimary(
  tx: Tx,
  ctx: Ctx,
  clientId: string,
  previous: string | null,
  next: string,
  note: string | null,
): Promise<{ id: string; createdAt: Date }> {
  await moveCaseload(tx, clientId, next);
  await auditAs(tx, ctx, {
    action: 'care_team.primary',
    category: 'care_team',
    clientId,
    entityType: 'user',
    entityId: next,
    details: { previous },
  });
  return recordHandover(tx, ctx, { clientId, fromClinicianId: previous, toClinicianId: next, note });
}

/** Sets the care team; the primary clinician is always a member. Every change is audited. */
export async function setCareTeam(
  ctx: Ctx,
  clientId: string,
  expectedVersion: number,
  primaryClinicianId: string,
  memberIds: string[],
): Promise<ClientRecord> {
  return inPractice(ctx, async (tx) => {
    const { client, access } = await authorizeClient(tx, ctx, clientId, 'client.manageCareTeam');
    const wanted = new Set([primaryClinicianId, ...memberIds]);
    for (const uid of wanted) {
      const u = await getUser(tx, uid);
      if (!u || !u.active || !isClinical(u.roles)) {
        throw new Invalid('Care team members must be active clinicians or supervisors', [
          {
            path: uid === primaryClinicianId ? 'primaryClinicianId' : 'memberIds',
            message: 'Not a clinician',
          },
        ]);
      }
    }
    const row = await clients.updateClient(tx, clientId, expectedVersion, {
      primary_clinician_id: primaryClinicianId,
    });
    if (!row)
      throw new StaleVersion(client.version, await assemble(tx, client, access), {
        action: 'care_team.update',
        category: 'care_team',
        clientId,
        entityType: 'client',
        entityId: clientId,
      });
    const current = new Set((await careTeamRepo.careTeam(tx, clientId)).map((m) => m.user_id));
    for (const uid of wanted) {
      if (!current.has(uid)) {
        await careTeamRepo.addCareTeamMember(tx, ctx.actor.practiceId, clientId, uid);
        await auditAs(tx, ctx, {
          action: 'care_team.add',
          category: 'care_team',
          clientId,
          entityType: 'user',
          entityId: uid,
        });
      }
    }
    for (const uid of current) {
      if (!wanted.has(uid)) {
        await careTeamRepo.removeCareTeamMember(tx, clientId, uid);
        await auditAs(tx, ctx, {
          action: 'care_team.remove',
          category: 'care_team',
          clientId,
          entityType: 'user',
          entityId: uid,
        });
      }
    }
    if (client.primary_clinician_id !== primaryClinicianId)
      await movePrimary(tx, ctx, clientId, client.primary_clinician_id, primaryClinicianId, null);
    // The actor may have just left the care team: recompute what they may do now.
    const now = await careTeamRepo.accessFacts(tx, clientId, ctx.actor.userId);
    return assemble(tx, row, accessSummary(ctx, access.grounds, now.relation, now.settings));
  });
}
