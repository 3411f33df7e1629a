import * as breakGlassRepo from '../db/breakGlassRepo.js';
import { getPractice } from '../db/practicesRepo.js';
import { newId } from '../security/ids.js';
import { decidePracticeAction } from '../security/accessPolicy.js';
import { NotFound } from '../domain/errors.js';
import { AccessDenied, auditAs, inPractice, type Ctx } from './context.js';
import { authorizeClient } from './clientService.js';

export interface BreakGlassGrant {
  id: string;
  clientId: string;
  clientCode: string;
  userId: string;
  userName: string;
  reason: string;
  createdAt: string;
  expiresAt: string;
  reviewedAt: string | null;
}

function view(g: breakGlassRepo.BreakGlassRow): BreakGlassGrant {
  return {
    id: g.id,
    clientId: g.client_id,
    clientCode: g.client_code,
    userId: g.user_id,
    userName: g.user_name,
    reason: g.reason,
    createdAt: g.created_at.toISOString(),
    expiresAt: g.expires_at.toISOString(),
    reviewedAt: g.reviewed_at?.toISOString() ?? null,
  };
}

/** Emergency access outside the care team: a stated reason, a time box, an alert, an audit row. */
export async function breakGlass(ctx: Ctx, clientId: string, reason: string): Promise<{ expiresAt: string }> {
  return inPractice(ctx, async (tx) => {
    await authorizeClient(tx, ctx, clientId, 'client.breakGlass');
    const practice = await getPractice(tx, ctx.actor.practiceId);
    if (!practice) throw new NotFound('Practice');
    const g = await breakGlassRepo.insertBreakGlass(tx, {
      id: newId(),
      practiceId: ctx.actor.practiceId,
      clientId,
      userId: ctx.actor.userId,
      reason,
      minutes: practice.break_glass_minutes,
    });
    // The reason is the clinician's justification, not clinical narrative; it is kept on the grant.
    await auditAs(tx, ctx, {
      action: 'break_glass.open',
      category: 'break_glass',
      clientId,
      entityType: 'client',
      entityId: clientId,
      details: { minutes: practice.break_glass_minutes, reasonLength: reason.length },
    });
    return { expiresAt: g.expires_at.toISOString() };
  });
}

export async function listBreakGlass(ctx: Ctx, onlyUnreviewed: boolean): Promise<BreakGlassGrant[]> {
  return inPractice(ctx, async (tx) => {
    const d = decidePracticeAction(ctx.actor, 'breakGlass.review');
    if (!d.allowed) throw new AccessDenied(d.reason, { action: 'break_glass.list', category: 'break_glass' });
    const items = (await breakGlassRepo.listBreakGlass(tx, onlyUnreviewed, 200)).map(view);
    await auditAs(tx, ctx, {
      action: 'break_glass.list',
      category: 'break_glass',
      details: { results: items.length },
    });
    return items;
  });
}

/** How many emergency accesses wait for review: the alert owners and admins see on every page. */
export async function unreviewedBreakGlassCount(ctx: Ctx): Promise<number> {
  return inPractice(ctx, async (tx) => {
    const d = decidePracticeAction(ctx.actor, 'breakGlass.review');
    if (!d.allowed)
      throw new AccessDenied(d.reason, { action: 'break_glass.count', category: 'break_glass' });
    return breakGlassRepo.countUnreviewedBreakGlass(tx);
  });
}

export async function reviewBreakGlass(ctx: Ctx, id: string): Promise<BreakGlassGrant> {
  return inPractice(ctx, async (tx) => {
    const d = decidePracticeAction(ctx.actor, 'breakGlass.review');
    if (!d.allowed)
      throw new AccessDenied(d.reason, {
        action: 'break_glass.review',
        category: 'break_glass',
        entityType: 'break_glass',
        entityId: id,
      });
    const g = await breakGlassRepo.reviewBreakGlass(tx, id, ctx.actor.userId);
    if (!g) throw new NotFound('Unreviewed emergency access');
    await auditAs(tx, ctx, {
      action: 'break_glass.review',
      category: 'break_glass',
      clientId: g.client_id,
      entityType: 'break_glass',
      entityId: id,
    });
    return view(g);
  });
}
