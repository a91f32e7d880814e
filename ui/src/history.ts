// Session-wide undo and redo of saved steps, wherever they were made (viewer or triage).
// Every step is already saved when it is recorded; undo and redo are saved steps too.

export type Step = {
  label: string;
  undo: () => Promise<void>;
  redo: () => Promise<void>;
};

class History {
  private readonly done: Step[] = [];
  private readonly undone: Step[] = [];
  private readonly listeners: (() => void)[] = [];
  private busy = false;

  record(step: Step): void {
    this.done.push(step);
    this.undone.length = 0;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Saves still under way record their step when they land: an undo pressed right after a key
   *  waits for them, so it takes back that key's step, not the one before. */
  private readonly inflight = new Set<Promise<unknown>>();

  track<T>(saving: Promise<T>): Promise<T> {
    this.inflight.add(saving);
    const done = () => this.inflight.delete(saving);
    saving.then(done, done);
    return saving;
  }

  /** Undoes the last step; returns its label, or null when there is nothing to undo. */
  async undo(): Promise<string | null> {
    return this.move(this.done, this.undone, (s) => s.undo());
  }

  async redo(): Promise<string | null> {
    return this.move(this.undone, this.done, (s) => s.redo());
  }

  private async move(from: Step[], to: Step[], run: (s: Step) => Promise<void>): Promise<string | null> {
    // Key repeat must not interleave two undos of the same face.
    if (this.busy) return null;
    if (this.inflight.size) await Promise.allSettled([...this.inflight]);
    const step = from.pop();
    if (!step) return null;
    this.busy = true;
    try {
      await run(step);
      to.push(step);
    } catch (e) {
      from.push(step);
      throw e;
    } finally {
      this.busy = false;
    }
    for (const l of this.listeners) l();
    return step.label;
  }
}

export const history = new History();
