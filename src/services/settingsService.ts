import {
  getPractice,
  updatePractice,
  type PracticeRow,
  type PracticeSettingsPatch,
} from '../db/practicesRepo.js';
import { decidePracticeAction } from '../security/accessPolicy.js';
import { Invalid, NotFound, StaleVersion } from '../domain/errors.js';
import { validatePolicy } from '../domain/noteDeadline.js';
import { AccessDenied, auditAs, inPractice, type Ctx } from './context.js';

export interface PracticeSettings {
  id: string;
  name: string;
  timeZone: string;
  kind: 'clinical' | 'coaching';
  idleTimeoutMinutes: number;
  mfaRequired: boolean;
  privacyMode: boolean;
  adminsSeeAllClients: boolean;
  breakGlassMinutes: number;
  noteDueHours: number;
  noteReminderHours: number;
  officePlaceOfService: string;
  planReviewDays: number;
  version: number;
}

export function toSettings(p: PracticeRow): PracticeSettings {
  return {
    id: p.id,
    name: p.name,
    timeZone: p.time_zone,
    kind: p.kind,
    idleTimeoutMinutes: p.idle_timeout_minutes,
    mfaRequired: p.mfa_required,
    privacyMode: p.privacy_mode,
    adminsSeeAllClients: p.admins_see_all_clients,
    breakGlassMinutes: p.break_glass_minutes,
    noteDueHours: p.note_due_hours,
    noteReminderHours: p.note_reminder_hours,
    officePlaceOfService: p.office_place_of_service,
    planReviewDays: p.plan_review_days,
    version: p.version,
  };
}

export async function getSettings(ctx: Ctx): Promise<PracticeSettings> {
  return inPractice(ctx, async (tx) => {
    const p = await getPractice(tx, ctx.actor.practiceId);
    if (!p) throw new NotFound('Practice');
    return toSettings(p);
  });
}

export type SettingsPatch = Partial<Omit<PracticeSettings, 'id' | 'version'>>;

/** Every changed setting is audited with its old and new value (settings hold no PHI). */
export async function updateSettings(
  ctx: Ctx,
  expectedVersion: number,
  patch: SettingsPatch,
): Promise<PracticeSettings> {
  return inPractice(ctx, async (tx) => {
    const d = decidePracticeAction(ctx.actor, 'settings.manage');
    if (!d.allowed) throw new AccessDenied(d.reason, { action: 'settings.update', category: 'settings' });
    // This setting widens what owners and admins may read; an admin must not grant it to themselves.
    if (patch.adminsSeeAllClients !== undefined && !ctx.actor.roles.includes('owner')) {
      throw new AccessDenied('Only an owner can change who sees all clients', {
        action: 'settings.update',
        category: 'settings',
        details: { setting: 'adminsSeeAllClients' },
      });
    }
    const before = await getPractice(tx, ctx.actor.practiceId);
    if (!before) throw new NotFound('Practice');
    // The deadline and its reminder are judged together: either may change alone.
    const policyProblems = validatePolicy({
      noteDueHours: patch.noteDueHours ?? before.note_due_hours,
      reminderHoursBefore: patch.noteReminderHours ?? before.note_reminder_hours,
    });
    if (policyProblems.length > 0)
      throw new Invalid(
        policyProblems.join(' '),
        policyProblems.map((message) => ({ path: 'noteReminderHours', message })),
      );
    const dbPatch: PracticeSettingsPatch = {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.timeZone !== undefined && { time_zone: patch.timeZone }),
      ...(patch.kind !== undefined && { kind: patch.kind }),
      ...(patch.idleTimeoutMinutes !== undefined && { idle_timeout_minutes: patch.idleTimeoutMinutes }),
      ...(patch.mfaRequired !== undefined && { mfa_required: patch.mfaRequired }),
      ...(patch.privacyMode !== undefined && { privacy_mode: patch.privacyMode }),
      ...(patch.adminsSeeAllClients !== undefined && { admins_see_all_clients: patch.adminsSeeAllClients }),
      ...(patch.breakGlassMinutes !== undefined && { break_glass_minutes: patch.breakGlassMinutes }),
      ...(patch.noteDueHours !== undefined && { note_due_hours: patch.noteDueHours }),
      ...(patch.noteReminderHours !== undefined && { note_reminder_hours: patch.noteReminderHours }),
      ...(patch.officePlaceOfService !== undefined && {
        office_place_of_service: patch.officePlaceOfService,
      }),
      ...(patch.planReviewDays !== undefined && { plan_review_days: patch.planReviewDays }),
    };
    const after = await updatePractice(tx, ctx.actor.practiceId, expectedVersion, dbPatch);
    if (!after)
      throw new StaleVersion(before.version, toSettings(before), {
        action: 'settings.update',
        category: 'settings',
        entityType: 'practice',
        entityId: ctx.actor.practiceId,
      });
    const b = toSettings(before);
    const a = toSettings(after);
    for (const key of Object.keys(patch) as (keyof SettingsPatch)[]) {
      if (b[key] !== a[key]) {
        await auditAs(tx, ctx, {
          action: 'settings.update',
          category: 'settings',
          entityType: 'practice',
          entityId: ctx.actor.practiceId,
          details: { setting: key, from: b[key], to: a[key] },
        });
      }
    }
    return a;
  });
}
