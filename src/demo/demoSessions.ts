import { recordAttendance, scheduleSessions } from '../services/sessionService.js';
import { createNote, saveDraft } from '../services/noteService.js';
import { addAddendum, cosignNote, signNote } from '../services/noteSigning.js';
import type { Ctx } from '../services/context.js';
import type { FieldDef, NoteContent, ProgressFormat, TemplateDefinition } from '../domain/noteTemplates.js';
import { localDateOf } from '../domain/recurrence.js';

/*
 * The demo practice's calendar and documentation: weekly sessions from six weeks ago to four
 * weeks ahead, notes signed the day after (a few late), a supervisee's notes co-signed, one
 * awaiting co-signature, one addendum, a draft in progress and last week's notes still to write,
 * so every dashboard and queue has something real in it.
 */

export interface DemoCaseload {
  clientId: string;
  ctx: Ctx;
  supervisorCtx: Ctx | null;
  diagnosis: string;
  clientName: string;
}

const FORMATS: ProgressFormat[] = ['soap', 'dap', 'birp', 'girp', 'pirp', 'narrative'];
const WEEKS_BACK = 6;
const OCCURRENCES = 10;

// Plain, person-first, behaviour-describing sentences: the way the notes should be written.
const PHRASES: Record<string, string> = {
  subjective: 'Reports sleeping about six hours most nights and feeling less worried on weekdays.',
  objective:
    'Arrived on time, casually dressed; speech at a normal rate; affect anxious, congruent with content.',
  data: 'Reports completing two of three planned walks; described one conflict at work and how it was handled.',
  behavior: 'Sat upright, made steady eye contact and described the week in detail.',
  goal: 'Goal 1: reduce worry that interferes with work (GAD-7 below 10 by the plan review).',
  problem: 'Worry about work performance that disrupts sleep.',
  assessment: 'Symptoms are easing; partial progress toward goal 1. Skills are being used outside sessions.',
  intervention: 'Reviewed the thought record; practiced cognitive restructuring on one work situation.',
  interventionDetail:
    'Guided the client through identifying an automatic thought and two balanced alternatives.',
  response: 'Identified the thought "I will be fired" and generated two alternatives without prompting.',
  clientResponse: 'Engaged throughout; completed the exercise and asked for a copy of the worksheet.',
  narrative: 'Session focused on worry at work. Reviewed homework and practiced restructuring one situation.',
  plan: 'Continue weekly sessions; next time review sleep routine and the thought records.',
  homework: 'Two thought records and one planned walk before the next session.',
  nextAppointment: 'Same time next week',
};

function textFor(field: FieldDef): string {
  return PHRASES[field.id] ?? `${field.label}: discussed and documented in session.`;
}

/** A completed note for any progress template, built from the template's own fields. */
function demoContent(t: TemplateDefinition, empty: NoteContent): NoteContent {
  const content: NoteContent = { ...empty };
  for (const field of t.sections.flatMap((s) => s.fields)) {
    if (field.kind === 'text' || field.kind === 'longText') content[field.id] = textFor(field);
    else if (field.kind === 'riskAssessment')
      content[field.id] = {
        suicidalIdeation: 'none',
        homicidalIdeation: 'none',
        selfHarm: 'none',
        safetyPlan: '',
        notes: 'Denies thoughts of harming self or others.',
      };
    else if (field.kind === 'interventions')
      content[field.id] = { selected: ['cognitive_restructuring', 'psychoeducation'], other: '' };
    else if (field.kind === 'singleChoice') content[field.id] = field.options[0]?.value ?? null;
  }
  return content;
}

function localStart(weeksAgo: number, weekday: number, hour: number, now: Date): string {
  const d = new Date(now.getTime() - weeksAgo * 7 * 86_400_000);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7) + weekday);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
}

const at = (ctx: Ctx, when: Date): Ctx => ({ ...ctx, clock: () => when, reauthenticatedAt: when });

/** Books, attends and documents the demo caseload through the same services the web app uses. */
export async function loadDemoSessions(caseload: DemoCaseload[], now: Date): Promise<void> {
  for (const [i, c] of caseload.entries()) {
    // One weekday and hour per client: nobody is double-booked.
    const sessions = await scheduleSessions(c.ctx, {
      clientIds: [c.clientId],
      clinicianId: c.ctx.actor.userId,
      serviceType: i === 0 ? 'intake_assessment' : 'individual',
      startLocal: localStart(WEEKS_BACK, i % 5, 9 + Math.floor(i / 5), now),
      durationMinutes: i % 3 === 0 ? 45 : 53,
      modality: i % 4 === 3 ? 'video' : 'in_person',
      location: i % 4 === 3 ? 'Video (client at home)' : 'Riverbend office, room 2',
      clientAtHome: i % 4 === 3,
      otherParticipants: [],
      recurrence: { kind: 'weekly', count: OCCURRENCES },
      allowOverlap: false,
    });
    const past = sessions.filter((s) => new Date(s.scheduledEnd) < now);
    for (const [k, s] of past.entries()) {
      const noShow = (i + k) % 9 === 4;
      await recordAttendance(c.ctx, s.id, c.clientId, {
        attendance: noShow ? 'no_show' : 'attended',
        reason: null,
      });
      const isLast = k === past.length - 1;
      // The most recent week is still to be written for some clients (the dashboard shows it).
      if (isLast && i % 3 !== 0) continue;
      const end = new Date(s.scheduledEnd);
      const lateBy = (i + k) % 11 === 5 ? 5 * 86_400_000 : 0;
      const signAt = new Date(Math.min(end.getTime() + 20 * 3_600_000 + lateBy, now.getTime() - 60_000));
      const writer = at(c.ctx, signAt);
      const draft = await createNote(writer, {
        clientId: c.clientId,
        sessionId: s.id,
        kind: noShow ? 'contact' : 'progress',
        format: noShow ? null : (FORMATS[i % FORMATS.length] ?? 'soap'),
        templateKey: null,
        dateOfService: null,
        startFromLast: false,
      });
      const filled = await saveDraft(writer, draft.id, draft.version, {
        content: demoContent(draft.template, draft.content),
        diagnosisCodes: noShow ? [] : [c.diagnosis],
      });
      if (isLast && i % 6 === 0) continue; // a draft in progress
      const signed = await signNote(writer, filled.id, filled.version);
      if (c.supervisorCtx && !isLast)
        await cosignNote(
          at(c.supervisorCtx, new Date(signAt.getTime() + 3_600_000)),
          signed.id,
          signed.version,
        );
      if (i === 1 && k === 0)
        await addAddendum(at(c.ctx, new Date(signAt.getTime() + 2 * 86_400_000)), signed.id, {
          reason: 'Late addition',
          text: `Client called on ${localDateOf(new Date(signAt.getTime() + 86_400_000), 'America/Chicago')} to confirm the homework plan.`,
        });
    }
  }
}
