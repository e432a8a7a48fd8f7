// Work split for worker threads: every worker reads every line, but only the owner of a line
// processes it. Lines with a queue/message id are owned by a hash of the id (so all lines of one
// message meet in one worker); other lines by their line number. parts = 1 owns everything.
export class Shard {
  /** number of the current line (set by the analyzer) */
  lineNo = 0;
  constructor(readonly part = 0, readonly parts = 1) {}

  ownsLine(): boolean {
    return this.parts === 1 || this.lineNo % this.parts === this.part;
  }

  ownsKey(s: string, a: number, b: number): boolean {
    if (this.parts === 1) return true;
    let h = 0;
    for (let i = a; i < b; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    return ((h >>> 0) % this.parts) === this.part;
  }
}
