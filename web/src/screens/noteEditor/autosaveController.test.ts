import { describe, expect, it } from 'vitest';
import { AutosaveController, type DraftPart, type SaveOutcome } from './autosaveController.js';

interface Call {
  parts: readonly DraftPart[];
  resolve: (o: SaveOutcome) => void;
  reject: (e: unknown) => void;
}

/** A controller whose saves wait until the test answers them, on a clock the test moves. */
function harness(opts: { savedAt?: number } = {}) {
  let t = 1_000_000;
  const calls: Call[] = [];
  const c = new AutosaveController({
    now: () => t,
    intervalMs: 3000,
    retryMs: 10_000,
    ...(opts.savedAt !== undefined ? { savedAt: opts.savedAt } : {}),
    save: (parts) =>
      new Promise<SaveOutcome>((resolve, reject) => {
        calls.push({ parts, resolve, reject });
      }),
  });
  const statuses: string[] = [];
  c.subscribe(() => statuses.push(c.getSnapshot().status));
  return {
    c,
    calls,
    statuses,
    advance(ms: number) {
      t += ms;
    },
    now: () => t,
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('autosave', () => {
  it('starts clean with the stored time and saves a change once it has waited the interval', async () => {
    const h = harness({ savedAt: 5 });
    expect(h.c.getSnapshot()).toEqual({ status: 'clean', savedAt: 5, message: null, unsaved: false });
    h.c.changed('content');
    expect(h.c.getSnapshot().status).toBe('dirty');
    h.advance(2000);
    h.c.tick();
    expect(h.calls).toHaveLength(0);
    h.advance(1000);
    h.c.tick();
    expect(h.calls.map((x) => x.parts)).toEqual([['content']]);
    expect(h.c.getSnapshot().status).toBe('saving');
    h.calls[0]?.resolve({ kind: 'saved' });
    await settle();
    expect(h.c.getSnapshot()).toEqual({ status: 'clean', savedAt: h.now(), message: null, unsaved: false });
    expect(h.statuses).toEqual(['dirty', 'saving', 'clean']);
  });

  it('keeps one request in flight and saves what was typed meanwhile in the next one', async () => {
    const h = harness();
    h.c.changed('content');
    h.c.saveSoon();
    h.c.changed('diagnosisCodes', 'content');
    h.c.saveSoon();
    h.advance(5000);
    h.c.tick();
    expect(h.calls).toHaveLength(1);
    expect(h.c.getSnapshot().unsaved).toBe(true);
    h.calls[0]?.resolve({ kind: 'saved' });
    await settle();
    expect(h.c.getSnapshot().status).toBe('dirty');
    h.c.tick();
    expect(h.calls.map((x) => [...x.parts].sort())).toEqual([['content'], ['content', 'diagnosisCodes']]);
    h.calls[1]?.resolve({ kind: 'saved' });
    await settle();
    expect(h.c.getSnapshot().status).toBe('clean');
    expect(h.c.hasUnsaved()).toBe(false);
  });

  it('does nothing when there is nothing to save', () => {
    const h = harness();
    h.c.saveSoon();
    h.advance(60_000);
    h.c.tick();
    expect(h.calls).toHaveLength(0);
  });

  it('stops for good on a conflict and keeps the parts as unsaved, until reset', async () => {
    const h = harness();
    h.c.changed('content');
    h.c.saveSoon();
    h.calls[0]?.resolve({ kind: 'conflict', message: 'changed in another tab' });
    await settle();
    expect(h.c.getSnapshot()).toMatchObject({ status: 'conflict', message: 'changed in another tab' });
    h.c.changed('content');
    h.advance(60_000);
    h.c.tick();
    h.c.saveSoon();
    await expect(h.c.flush()).resolves.toBe(false);
    expect(h.calls).toHaveLength(1);
    expect(h.c.getSnapshot().status).toBe('conflict');
    expect(h.c.hasUnsaved()).toBe(true);
    h.c.reset();
    expect(h.c.getSnapshot()).toMatchObject({ status: 'clean', unsaved: false });
    h.c.changed('sessionFacts');
    h.c.saveSoon();
    expect(h.calls).toHaveLength(2);
  });

  it('waits for the next edit after the server refuses the values', async () => {
    const h = harness();
    h.c.changed('sessionFacts');
    h.c.saveSoon();
    h.calls[0]?.resolve({ kind: 'invalid', message: 'The end must be after the start' });
    await settle();
    expect(h.c.getSnapshot()).toMatchObject({ status: 'invalid', unsaved: true });
    h.advance(60_000);
    h.c.tick();
    h.c.saveSoon();
    expect(h.calls).toHaveLength(1);
    h.c.changed('sessionFacts');
    h.advance(3000);
    h.c.tick();
    expect(h.calls).toHaveLength(2);
  });

  it('retries after a failure only once the retry pause has passed', async () => {
    const h = harness();
    h.c.changed('content');
    h.c.saveSoon();
    h.calls[0]?.reject(new Error('Casebook could not be reached.'));
    await settle();
    expect(h.c.getSnapshot()).toMatchObject({
      status: 'failed',
      message: 'Casebook could not be reached.',
      unsaved: true,
    });
    h.advance(9000);
    h.c.tick();
    expect(h.calls).toHaveLength(1);
    h.advance(1000);
    h.c.tick();
    expect(h.calls.map((x) => x.parts)).toEqual([['content'], ['content']]);
  });

  it('flush waits for the save in flight, saves the rest, and says whether all is stored', async () => {
    const h = harness();
    h.c.changed('content');
    h.c.saveSoon();
    h.c.changed('copiedFields');
    let done: boolean | null = null;
    const flushing = h.c.flush().then((v) => {
      done = v;
    });
    await settle();
    expect(done).toBeNull();
    h.calls[0]?.resolve({ kind: 'saved' });
    await settle();
    expect(h.calls.map((x) => x.parts)).toEqual([['content'], ['copiedFields']]);
    expect(done).toBeNull();
    h.calls[1]?.resolve({ kind: 'saved' });
    await flushing;
    expect(done).toBe(true);
    expect(h.c.getSnapshot().status).toBe('clean');
  });

  it('flush tries again values the server refused, and reports false when they are still refused', async () => {
    const h = harness();
    h.c.changed('content');
    h.c.saveSoon();
    h.calls[0]?.resolve({ kind: 'invalid', message: 'Enter a number' });
    await settle();
    const flushing = h.c.flush();
    await settle();
    expect(h.calls).toHaveLength(2);
    h.calls[1]?.resolve({ kind: 'invalid', message: 'Enter a number' });
    await expect(flushing).resolves.toBe(false);
    expect(h.calls).toHaveLength(2);
    expect(h.c.getSnapshot().status).toBe('invalid');
  });
});
