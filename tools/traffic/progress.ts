/** The part of a stream the progress display needs (process.stderr fits). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * A progress bar on a terminal (redrawn in place), or a plain line per 10 %
 * when the stream is a file or pipe, so CI logs stay readable.
 */
export class Progress {
  private done = 0;
  private lastStep = -1;

  constructor(
    private readonly stream: ProgressStream,
    private readonly total: number,
    private readonly width = 30,
  ) {}

  tick(failed: number): void {
    this.done++;
    if (this.stream.isTTY) {
      const filled = Math.round((this.done / this.total) * this.width);
      this.stream.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] ${this.done}/${this.total}${failed ? ` (${failed} 5xx/errors)` : ''}`,
      );
      if (this.done === this.total) this.stream.write('\n');
      return;
    }
    const step = Math.floor((this.done / this.total) * 10);
    if (step !== this.lastStep && (step > this.lastStep || this.done === this.total)) {
      this.lastStep = step;
      this.stream.write(`${this.done}/${this.total} requests done${failed ? `, ${failed} 5xx/errors` : ''}\n`);
    }
  }
}
