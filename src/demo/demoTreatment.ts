import { randomUUID } from 'node:crypto';
import { addDiagnosis } from '../services/diagnosisService.js';
import { saveDraft, startDraft } from '../services/treatmentPlanService.js';
import { recordAcknowledgement, signVersion } from '../services/planSigning.js';
import { giveMeasure } from '../services/measureService.js';
import { addAnnotation } from '../services/annotationService.js';
import type { Ctx } from '../services/context.js';
import type { GoalInstrument, PlanContent } from '../domain/treatmentPlan.js';
import { INSTRUMENTS } from '../domain/measureInstruments.js';
import { localDateOf } from '../domain/recurrence.js';
import type { DemoCaseload } from './demoSessions.js';

/*
 * The demo caseload's treatment record: a primary diagnosis each, a signed and acknowledged
 * plan with two measurable goals, a questionnaire every two weeks whose scores fall over six
 * weeks, one PHQ-9 with item 9 answered (an open risk alert), a medication annotation, and
 * plans signed long enough ago that one review is due soon and one is overdue.
 */

const DAY = 86_400_000;
const TIME_ZONE = 'America/Chicago';

/** The instrument that follows each demo diagnosis. */
function instrumentFor(code: string): GoalInstrument {
  if (code.startsWith('F43.1')) return 'pcl5';
  if (code.startsWith('F32') || code.startsWith('F33')) return 'phq9';
  return 'gad7';
}

const at = (ctx: Ctx, when: Date): Ctx => ({ ...ctx, clock: () => when, reauthenticatedAt: when });

/** Answers that add up to `total`, spread from the first item on, within each item's range. */
function answersFor(instrument: GoalInstrument, total: number, item9 = 0): Record<string, number> {
  const def = INSTRUMENTS[instrument];
  const top = Math.max(...def.options.map((o) => o.value));
  let left = total - item9;
  const answers: Record<string, number> = {};
  for (const item of def.items) {
    if (instrument === 'phq9' && item.number === 9) {
      answers[item.id] = item9;
      continue;
    }
    const v = Math.min(top, left);
    answers[item.id] = v;
    left -= v;
  }
  if (def.difficulty) answers[def.difficulty.id] = total > 9 ? 1 : 0;
  return answers;
}

function planContent(diagnosisId: string, instrument: GoalInstrument, signedOn: Date, ctx: Ctx): PlanContent {
  const problemId = randomUUID();
  const targetDate = localDateOf(new Date(signedOn.getTime() + 180 * DAY), TIME_ZONE);
  const shortName = INSTRUMENTS[instrument].shortName;
  const cutPoint = instrument === 'pcl5' ? 33 : 10;
  return {
    problems: [
      {
        id: problemId,
        statement: 'Symptoms that disrupt sleep, work and time with family.',
        diagnosisIds: [diagnosisId],
      },
    ],
    goals: [
      {
        id: randomUUID(),
        problemIds: [problemId],
        statement: `Reduce symptoms to below the clinical range on the ${shortName}.`,
        measuredBy: `${shortName} every two weeks`,
        baseline: 'Score at intake',
        target: `${shortName} below ${cutPoint}`,
        targetDate,
        status: 'active',
        measure: { instrument, below: cutPoint },
        objectives: [
          {
            id: randomUUID(),
            statement: 'Use one coping skill on at least 4 days a week, by self-report log.',
            measure: 'Self-report log reviewed in session',
            targetDate: localDateOf(new Date(signedOn.getTime() + 60 * DAY), TIME_ZONE),
            status: 'active',
          },
        ],
        interventions: [
          {
            id: randomUUID(),
            modality: 'cbt',
            description: 'Cognitive restructuring and thought records',
            frequency: 'Weekly',
            responsibleClinicianId: ctx.actor.userId,
          },
        ],
      },
      {
        id: randomUUID(),
        problemIds: [problemId],
        statement: 'Sleep at least six hours on five nights a week.',
        measuredBy: 'Sleep diary',
        baseline: 'About four hours, two nights a week',
        target: 'Six hours on five nights a week',
        targetDate,
        status: 'active',
        measure: null,
        objectives: [],
        interventions: [
          {
            id: randomUUID(),
            modality: 'psychoeducation',
            description: 'Sleep hygiene and a regular wind-down routine',
            frequency: 'Reviewed every two weeks',
            responsibleClinicianId: ctx.actor.userId,
          },
        ],
      },
    ],
    servicePlan: {
      sessionType: 'individual',
      minutes: 53,
      frequency: 'Weekly',
      expectedDuration: '6 months',
    },
    strengths: 'Motivated; supportive family; steady work.',
    barriers: 'Shift changes at work some weeks.',
    dischargeCriteria: 'Both goals met and kept for a month.',
  };
}

/** Loads the treatment record for each demo client, through the same services the web app uses. */
export async function loadDemoTreatment(caseload: DemoCaseload[], now: Date): Promise<void> {
  const alertClient = caseload.findIndex((c) => instrumentFor(c.diagnosis) === 'phq9');
  for (const [i, c] of caseload.entries()) {
    const instrument = instrumentFor(c.diagnosis);
    // Client 1's plan is 80 days old (review due soon), client 2's 100 (overdue); the rest 6 weeks.
    const planAge = i === 1 ? 80 : i === 2 ? 100 : 43;
    const signedOn = new Date(now.getTime() - planAge * DAY);
    const writer = at(c.ctx, signedOn);
    const diagnosis = await addDiagnosis(writer, c.clientId, {
      code: c.diagnosis,
      rank: 'primary',
      status: 'active',
      onsetDate: null,
      resolvedDate: null,
      comment: null,
    });
    const draft = await startDraft(writer, c.clientId);
    const saved = await saveDraft(
      writer,
      draft.id,
      draft.version,
      planContent(diagnosis.id, instrument, signedOn, c.ctx),
    );
    const signed = await signVersion(writer, saved.id, saved.version);
    await recordAcknowledgement(writer, signed.id, {
      typedName: c.clientName,
      acknowledgedOn: localDateOf(signedOn, TIME_ZONE),
      method: 'in_person',
    });

    // Every two weeks from six weeks ago: scores falling from the moderate range.
    const max = INSTRUMENTS[instrument].maxTotal;
    for (const [k, weeksAgo] of [6, 4, 2, 0].entries()) {
      const when = new Date(now.getTime() - weeksAgo * 7 * DAY - (weeksAgo === 0 ? 3_600_000 : 0));
      const total = Math.round(max * (0.55 - 0.1 * k)) + (i % 3);
      const item9 = i === alertClient && weeksAgo === 0 ? 1 : 0;
      await giveMeasure(at(c.ctx, when), c.clientId, {
        instrument,
        answers: answersFor(instrument, total, item9),
        sessionId: null,
        administeredAt: when.toISOString(),
      });
    }
    if (i === 0)
      await addAnnotation(at(c.ctx, new Date(now.getTime() - 21 * DAY)), c.clientId, {
        date: localDateOf(new Date(now.getTime() - 21 * DAY), TIME_ZONE),
        text: 'Started sertraline 50 mg (prescriber: primary care)',
      });
  }
}
