import { describe, expect, it } from 'vitest';
import { emptyPlanContent, type PlanContent } from '../../../../src/domain/treatmentPlan.js';
import {
  moveItem,
  newGoal,
  newObjective,
  newProblem,
  removeProblem,
  sameContent,
  toggleGoalProblem,
  unsavedTexts,
  wholeNumberOrNull,
} from './planDraft.js';

let n = 0;
const id = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

function twoProblems(): PlanContent {
  const a = newProblem(id);
  const b = newProblem(id);
  return {
    ...emptyPlanContent(),
    problems: [
      { ...a, statement: 'Panic attacks' },
      { ...b, statement: 'Poor sleep' },
    ],
    goals: [newGoal([a.id, b.id], id)],
  };
}

describe('moveItem', () => {
  it('moves one place either way and leaves the ends alone', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
  it('does not change the list it was given', () => {
    const list = ['a', 'b'];
    moveItem(list, 0, 1);
    expect(list).toEqual(['a', 'b']);
  });
});

describe('removeProblem', () => {
  it('removes the links of every goal to it', () => {
    const c = twoProblems();
    const gone = c.problems[0]?.id;
    const next = removeProblem(c, 0);
    expect(next.problems.map((p) => p.statement)).toEqual(['Poor sleep']);
    expect(next.goals[0]?.problemIds).toEqual([c.problems[1]?.id]);
    expect(next.goals[0]?.problemIds).not.toContain(gone);
  });
});

describe('toggleGoalProblem', () => {
  it('keeps links in the order of the problems', () => {
    const c = twoProblems();
    const [a, b] = c.problems;
    const goal = { ...newGoal([], id) };
    if (!a || !b) throw new Error('setup');
    const withB = toggleGoalProblem(c, goal, b.id, true);
    const withBoth = toggleGoalProblem(c, withB, a.id, true);
    expect(withBoth.problemIds).toEqual([a.id, b.id]);
    expect(toggleGoalProblem(c, withBoth, a.id, false).problemIds).toEqual([b.id]);
  });
});

describe('sameContent and wholeNumberOrNull', () => {
  it('tells an edited plan from the saved one', () => {
    const c = twoProblems();
    expect(sameContent(c, structuredClone(c))).toBe(true);
    expect(sameContent(c, { ...c, strengths: 'Family support' })).toBe(false);
  });
  it('reads whole numbers only', () => {
    expect(wholeNumberOrNull(' 53 ')).toBe(53);
    expect(wholeNumberOrNull('')).toBeNull();
    expect(wholeNumberOrNull('5.5')).toBeNull();
    expect(wholeNumberOrNull('-1')).toBeNull();
  });
});

describe('unsavedTexts', () => {
  it('lists the text typed here that the saved version lacks, matched by id', () => {
    const saved = twoProblems();
    const goal = saved.goals[0];
    if (!goal) throw new Error('setup');
    const objective = { ...newObjective(id), statement: 'Use breathing exercise daily' };
    const local: PlanContent = {
      ...saved,
      // Reordered problems are not a text change.
      problems: [...saved.problems].reverse(),
      goals: [{ ...goal, statement: 'Fewer panic attacks', objectives: [objective] }],
      dischargeCriteria: 'No panic attacks for 8 weeks',
    };
    expect(unsavedTexts(local, saved)).toEqual([
      { fieldId: 'goals.0.statement', label: 'Goal 1: statement', text: 'Fewer panic attacks' },
      {
        fieldId: 'goals.0.objectives.0.statement',
        label: 'Goal 1, objective 1',
        text: 'Use breathing exercise daily',
      },
      { fieldId: 'dischargeCriteria', label: 'Discharge criteria', text: 'No panic attacks for 8 weeks' },
    ]);
  });
  it('is empty when nothing differs', () => {
    const c = twoProblems();
    expect(unsavedTexts(c, c)).toEqual([]);
  });
});
