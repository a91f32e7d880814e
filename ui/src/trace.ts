// Where an interaction's time goes, measured in the page: from the user's action to the core's
// answer (IPC and core), to the DOM built (script), to the frame that shows it (style, layout,
// paint). The interactions benchmark reads `window.whoiswho.traces()`; nothing leaves the page.

export type Trace = { name: string; ipc: number; script: number; frame: number };

const traces: Trace[] = [];

/** Starts timing `name` at `start` (an event's time stamp, or now). */
export function traceStart(name: string, start = performance.now()) {
  let answered = start;
  return {
    /** The core answered. */
    answered(): void {
      answered = performance.now();
    },
    /** The DOM is built: the frame after next is the one that shows it. */
    drawn(): void {
      const drawn = performance.now();
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          traces.push({ name, ipc: answered - start, script: drawn - answered, frame: performance.now() - drawn });
          if (traces.length > 500) traces.shift();
        }),
      );
    },
  };
}

export function allTraces(): Trace[] {
  return traces.slice();
}
