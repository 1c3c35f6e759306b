/** Where progress goes: stderr by default; `isTTY` picks a redrawn bar over periodic lines. */
export interface ProgressSink {
  readonly isTTY: boolean;
  write(text: string): void;
}

export const stderrProgressSink: ProgressSink = {
  isTTY: Boolean(process.stderr.isTTY),
  write: (text) => process.stderr.write(text),
};

const WIDTH = 30;

/**
 * A progress bar over `total` steps. On a terminal it redraws one line in place; elsewhere (CI, a pipe) it
 * prints a plain line every `linesEvery` of the way (10 % by default), so logs stay readable.
 */
export class ProgressBar {
  private done = 0;
  private lastLinePct = -1;
  private readonly started = performance.now();

  constructor(
    private readonly total: number,
    private readonly label: string,
    private readonly sink: ProgressSink = stderrProgressSink,
    private readonly linesEvery = 10,
  ) {}

  /** Marks `n` more steps done; `note` is shown after the bar (e.g. the simulated time). */
  tick(note = '', n = 1): void {
    this.done = Math.min(this.total, this.done + n);
    const pct = this.total ? Math.floor((100 * this.done) / this.total) : 100;
    const elapsed = ((performance.now() - this.started) / 1000).toFixed(1);
    if (this.sink.isTTY) {
      const filled = Math.round((WIDTH * this.done) / Math.max(1, this.total));
      const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
      this.sink.write(
        `\r${this.label} ${bar} ${String(pct).padStart(3)}% ${this.done}/${this.total} ${elapsed}s ${note}\u001b[K`,
      );
    } else {
      const step = Math.floor(pct / this.linesEvery) * this.linesEvery;
      if (step > this.lastLinePct) {
        this.lastLinePct = step;
        this.sink.write(
          `${`${this.label} ${pct}% (${this.done}/${this.total}, ${elapsed}s) ${note}`.trimEnd()}\n`,
        );
      }
    }
  }

  /** Ends the bar's line on a terminal. */
  finish(): void {
    if (this.sink.isTTY) this.sink.write('\n');
  }
}
