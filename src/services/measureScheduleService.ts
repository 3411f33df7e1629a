import * as repo from '../db/measuresRepo.js';
import { Invalid, StaleVersion } from '../domain/errors.js';
import { INSTRUMENTS, type InstrumentId } from '../domain/measures.js';
import {
  checkSchedule,
  measureDue,
  sessionsSince,
  type ScheduleFrequency,
  type ScheduleItem,
} from '../domain/measureSchedule.js';
import type { Tx } from '../db/database.js';
import { auditAs, inPractice, type Ctx } from './context.js';
import { authorizeClientFor } from './clientService.js';

// Each client's recurring measure schedule (every session, every N sessions, monthly) and
// which measures are due now, from the last administration and the sessions begun since.

const CATEGORY = 'outcome_measure';

export interface ScheduleEntryView extends ScheduleItem {
  name: string;
  due: boolean;
  reason: string;
  lastAdministeredAt: string | null;
}

export interface MeasureScheduleView {
  clientId: string;
  items: ScheduleEntryView[];
  /** 0 while the client has no schedule yet: the first PUT sends If-Match "0". */
  version: number;
}

function storedItems(raw: unknown): ScheduleItem[] {
  return Array.isArray(raw) ? (raw as ScheduleItem[]) : [];
}

async function scheduleView(tx: Tx, ctx: Ctx, clientId: string): Promise<MeasureScheduleView> {
  const row = await repo.getSchedule(tx, clientId);
  const items = storedItems(row?.items);
  const latest = new Map(
    (await repo.latestAdministrations(tx, clientId)).map((l) => [l.instrument, l.administered_at]),
  );
  const now = ctx.clock();
  const starts = items.length > 0 ? await repo.sessionStartsBegun(tx, clientId, now) : [];
  return {
    clientId,
    version: row?.version ?? 0,
    items: items.map((item) => {
      const last = latest.get(item.instrument) ?? null;
      const state = measureDue(item, {
        lastAdministeredAt: last,
        sessionsSinceLast: sessionsSince(starts, last),
        now,
      });
      return {
        ...item,
        name: INSTRUMENTS[item.instrument].shortName,
        due: state.due,
        reason: state.reason,
        lastAdministeredAt: last ? last.toISOString() : null,
      };
    }),
  };
}

export async function getMeasureSchedule(ctx: Ctx, clientId: string): Promise<MeasureScheduleView> {
  return inPractice(ctx, async (tx) => {
    const action = 'measure_schedule.view';
    await authorizeClientFor(tx, ctx, clientId, 'client.readNotes', { action, category: CATEGORY });
    const view = await scheduleView(tx, ctx, clientId);
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId,
      entityType: 'measure_schedule',
      entityId: clientId,
    });
    return view;
  });
}

export interface ScheduleInput {
  instrument: InstrumentId;
  frequency: ScheduleFrequency;
  everyN: number | null;
}

/** Replaces the client's schedule when the version read is still current. */
export async function putMeasureSchedule(
  ctx: Ctx,
  clientId: string,
  expectedVersion: number,
  input: ScheduleInput[],
): Promise<MeasureScheduleView> {
  return inPractice(ctx, async (tx) => {
    const action = 'measure_schedule.update';
    // Authorize before validating, so a refused user is audited as denied whatever the body holds.
    await authorizeClientFor(tx, ctx, clientId, 'client.writeNotes', { action, category: CATEGORY });
    const problems = checkSchedule(input);
    if (problems.length > 0) throw new Invalid('The schedule is not valid', problems);
    const row = await repo.getSchedule(tx, clientId, true);
    const current = row?.version ?? 0;
    if (current !== expectedVersion)
      throw new StaleVersion(current, await scheduleView(tx, ctx, clientId), {
        action,
        category: CATEGORY,
        clientId,
        entityType: 'measure_schedule',
        entityId: clientId,
      });
    const items = input.map((i) => ({ instrument: i.instrument, frequency: i.frequency, everyN: i.everyN }));
    const now = ctx.clock();
    if (row) await repo.updateSchedule(tx, { clientId, items, updatedBy: ctx.actor.userId, now });
    else
      await repo.insertSchedule(tx, {
        practiceId: ctx.actor.practiceId,
        clientId,
        items,
        updatedBy: ctx.actor.userId,
        now,
      });
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId,
      entityType: 'measure_schedule',
      entityId: clientId,
      details: { instruments: items.map((i) => i.instrument).join(',') },
    });
    return scheduleView(tx, ctx, clientId);
  });
}
