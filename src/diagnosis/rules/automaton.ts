// Aho-Corasick automaton over UTF-16 code units: finds every phrase in one left-to-right pass, so
// the cost per text is linear in its length whatever the number of rules (no regex backtracking).
// ASCII steps use a precomputed dense transition table (one array read per character); other
// characters (CJK phrases) walk the trie's failure links.

const EMPTY: readonly number[] = [];

export class PhraseAutomaton {
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  private readonly out: (readonly number[])[] = [EMPTY];
  /** ASCII code → column in `dense`, -1 when no phrase contains that character */
  private readonly column = new Int16Array(128).fill(-1);
  private readonly columns: number;
  /** dense[node * columns + column] = next node, failure links already applied */
  private readonly dense: Int32Array;
  /** 1 where a node ends at least one phrase (skips the output check on most steps) */
  private readonly hasOut: Uint8Array;

  constructor(patterns: readonly string[]) {
    patterns.forEach((p, id) => {
      let node = 0;
      for (let i = 0; i < p.length; i++) {
        const c = p.charCodeAt(i);
        let child = this.next[node]!.get(c);
        if (child === undefined) {
          child = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.out.push(EMPTY);
          this.next[node]!.set(c, child);
        }
        node = child;
        if (c < 128 && this.column[c] === -1) this.column[c] = 0;
      }
      this.out[node] = [...this.out[node]!, id];
    });
    let cols = 0;
    for (let c = 0; c < 128; c++) if (this.column[c] === 0) this.column[c] = cols++;
    this.columns = cols;
    this.dense = new Int32Array(this.next.length * cols);

    // breadth-first: failure links, inherited outputs, and the dense ASCII transitions
    const order: number[] = [0];
    for (let qi = 0; qi < order.length; qi++) {
      const node = order[qi]!;
      for (const [c, child] of this.next[node]!) {
        if (node !== 0) {
          let f = this.fail[node]!;
          while (f !== 0 && !this.next[f]!.has(c)) f = this.fail[f]!;
          this.fail[child] = this.next[f]!.get(c) ?? 0;
          const inherited = this.out[this.fail[child]!]!;
          if (inherited.length) this.out[child] = [...this.out[child]!, ...inherited];
        }
        order.push(child);
      }
      for (let c = 0; c < 128; c++) {
        const col = this.column[c]!;
        if (col < 0) continue;
        const child = this.next[node]!.get(c);
        this.dense[node * cols + col] = child ?? (node === 0 ? 0 : this.dense[this.fail[node]! * cols + col]!);
      }
    }
    this.hasOut = Uint8Array.from(this.out, (o) => (o.length ? 1 : 0));
  }

  get size(): number {
    return this.next.length;
  }

  /**
   * Scans `text`; for each pattern seen records the end offset (exclusive) of its first occurrence
   * in `firstEnd` (which must hold -1 for unseen ids) and appends the id to `seen`. Returns the
   * number of ids appended.
   */
  scan(text: string, firstEnd: Int32Array, seen: Int32Array): number {
    const { next, fail, out, column, dense, columns, hasOut } = this;
    let node = 0;
    let count = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 128) {
        const col = column[c]!;
        node = col < 0 ? 0 : dense[node * columns + col]!;
      } else {
        let child = next[node]!.get(c);
        while (child === undefined && node !== 0) {
          node = fail[node]!;
          child = next[node]!.get(c);
        }
        node = child ?? 0;
      }
      if (hasOut[node] === 0) continue;
      const hits = out[node]!;
      for (let h = 0; h < hits.length; h++) {
        const id = hits[h]!;
        if (firstEnd[id]! < 0) {
          firstEnd[id] = i + 1;
          if (count < seen.length) seen[count++] = id;
        }
      }
    }
    return count;
  }
}
