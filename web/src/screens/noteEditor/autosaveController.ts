/** The parts of a draft an autosave can send; each is sent only when it changed. */
export type DraftPart =
  'content' | 'sessionFacts' | 'diagnosisCodes' | 'dateOfService' | 'copiedFields' | 'goalProgress';

export type SaveOutcome =
  | { kind: 'saved' }
  /** The server refused the values (a field error): retried only after the next edit. */
  | { kind: 'invalid'; message: string }
  /** The draft changed elsewhere, was signed or discarded: autosave stops until reset. */
  | { kind: 'conflict'; message: string }
  /** Network or server trouble: retried after a pause. */
  | { kind: 'failed'; message: string };

export type AutosaveStatus = 'clean' | 'dirty' | 'saving' | 'invalid' | 'failed' | 'conflict';

export interface AutosaveSnapshot {
  status: AutosaveStatus;
  /** When the last save succeeded (ms since the epoch), or null before the first. */
  savedAt: number | null;
  message: string | null;
  /** True while any change is not yet stored, including one in flight. */
  unsaved: boolean;
}

export interface AutosaveOptions {
  save: (parts: readonly DraftPart[]) => Promise<SaveOutcome>;
  now?: () => number;
  /** How long a change may wait before it is saved (typing continues meanwhile). */
  intervalMs?: number;
  /** How long to wait before retrying after a network or server failure. */
  retryMs?: number;
  /** When the draft was last stored (shown until the first save here). */
  savedAt?: number | null;
}

/**
 * The autosave state machine, free of React and timers so it can be tested alone: changes
 * are collected by part, one save is in flight at a time, changes made during a save wait
 * for the next one, and a conflict stops saving so nothing is merged silently.
 */
export class AutosaveController {
  private readonly save: AutosaveOptions['save'];
  private readonly now: () => number;
  private readonly intervalMs: number;
  private readonly retryMs: number;
  private readonly pending = new Set<DraftPart>();
  private sending: readonly DraftPart[] = [];
  private inFlight: Promise<void> | null = null;
  private dirtySince: number | null = null;
  private failedAt: number | null = null;
  private waitForEdit = false;
  private snapshot: AutosaveSnapshot = { status: 'clean', savedAt: null, message: null, unsaved: false };
  private readonly listeners = new Set<() => void>();

  constructor(opts: AutosaveOptions) {
    this.save = opts.save;
    this.now = opts.now ?? (() => Date.now());
    this.intervalMs = opts.intervalMs ?? 3000;
    this.retryMs = opts.retryMs ?? 10_000;
    this.snapshot = { ...this.snapshot, savedAt: opts.savedAt ?? null };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): AutosaveSnapshot => this.snapshot;

  /** Records a local change to the given parts. */
  changed(...parts: DraftPart[]): void {
    if (parts.length === 0) return;
    if (this.pending.size === 0) this.dirtySince = this.now();
    for (const p of parts) this.pending.add(p);
    this.waitForEdit = false;
    const status = this.snapshot.status;
    if (status === 'saving' || status === 'conflict') this.publish(status, this.snapshot.message);
    else this.publish('dirty', null);
  }

  /** Called every second or so: saves when a change has waited long enough. */
  tick(): void {
    if (!this.mayStart()) return;
    const t = this.now();
    if (this.snapshot.status === 'failed') {
      if (this.failedAt !== null && t - this.failedAt < this.retryMs) return;
    } else if (this.dirtySince !== null && t - this.dirtySince < this.intervalMs) return;
    void this.start();
  }

  /** Saves now if there is anything to save (on blur, when the page is hidden, before a time-out). */
  saveSoon(): void {
    if (this.mayStart()) void this.start();
  }

  /**
   * Waits for the save in flight and saves whatever is left, including values the server
   * refused before (the caller wants a definite answer, e.g. before signing). True when clean.
   */
  async flush(): Promise<boolean> {
    // Bounded: a user typing during the flush must not keep it going for ever.
    for (let i = 0; i < 4; i++) {
      if (this.inFlight) await this.inFlight;
      if (this.snapshot.status === 'conflict') return false;
      if (this.pending.size === 0) return true;
      this.waitForEdit = false;
      await this.start();
      // Read through a function: TypeScript cannot see that the await changed the status.
      if (this.stopped()) return false;
    }
    return this.pending.size === 0 && this.inFlight === null && this.snapshot.status !== 'conflict';
  }

  /** After the user chose to load the saved version: local changes are gone, saving resumes. */
  reset(): void {
    this.pending.clear();
    this.sending = [];
    this.dirtySince = null;
    this.failedAt = null;
    this.waitForEdit = false;
    this.publish('clean', null);
  }

  private stopped(): boolean {
    const s = this.snapshot.status;
    return s === 'invalid' || s === 'failed' || s === 'conflict';
  }

  hasUnsaved(): boolean {
    return this.pending.size > 0 || this.sending.length > 0;
  }

  private mayStart(): boolean {
    return (
      this.inFlight === null &&
      this.pending.size > 0 &&
      !this.waitForEdit &&
      this.snapshot.status !== 'conflict'
    );
  }

  private start(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const parts = [...this.pending];
    this.pending.clear();
    this.dirtySince = null;
    this.sending = parts;
    this.publish('saving', null);
    const run = this.save(parts)
      .catch((err: unknown): SaveOutcome => ({
        kind: 'failed',
        message: err instanceof Error ? err.message : 'The draft could not be saved.',
      }))
      .then((outcome) => this.finish(parts, outcome));
    this.inFlight = run.finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private finish(parts: readonly DraftPart[], outcome: SaveOutcome): void {
    this.sending = [];
    if (outcome.kind === 'saved') {
      this.failedAt = null;
      this.snapshot = { ...this.snapshot, savedAt: this.now() };
      this.publish(this.pending.size > 0 ? 'dirty' : 'clean', null);
      return;
    }
    // What was sent is still unsaved, together with anything typed meanwhile.
    if (this.pending.size === 0) this.dirtySince = this.now();
    for (const p of parts) this.pending.add(p);
    switch (outcome.kind) {
      case 'invalid':
        this.waitForEdit = true;
        this.publish('invalid', outcome.message);
        return;
      case 'conflict':
        this.publish('conflict', outcome.message);
        return;
      case 'failed':
        this.failedAt = this.now();
        this.publish('failed', outcome.message);
        return;
    }
  }

  private publish(status: AutosaveStatus, message: string | null): void {
    this.snapshot = {
      status,
      savedAt: this.snapshot.savedAt,
      message,
      unsaved: this.hasUnsaved(),
    };
    for (const l of this.listeners) l();
  }
}
