// Aho-Corasick automaton over UTF-16 code units: finds every phrase in one left-to-right pass, so
// the cost per text is linear in its length whatever the number of rules (no regex backtracking).

const EMPTY: readonly number[] = [];

export class PhraseAutomaton {
  /** dense transitions out of the root (most steps of a scan start there) */
  private readonly root = new Int32Array(65536);
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  private readonly out: (readonly number[])[] = [EMPTY];
  readonly lengths: number[] = [];

  constructor(patterns: readonly string[]) {
    patterns.forEach((p, id) => {
      this.lengths.push(p.length);
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
      }
      this.out[node] = [...this.out[node]!, id];
    });
    // breadth-first failure links; outputs inherit those of their failure node
    const queue: number[] = [];
    for (const [c, child] of this.next[0]!) {
      this.root[c] = child;
      queue.push(child);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const node = queue[qi]!;
      for (const [c, child] of this.next[node]!) {
        let f = this.fail[node]!;
        while (f !== 0 && !this.next[f]!.has(c)) f = this.fail[f]!;
        const target = f === 0 ? this.root[c]! : this.next[f]!.get(c)!;
        this.fail[child] = target === child ? 0 : target;
        const inherited = this.out[this.fail[child]!]!;
        if (inherited.length) this.out[child] = [...this.out[child]!, ...inherited];
        queue.push(child);
      }
    }
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
    let node = 0;
    let count = 0;
    const { next, fail, out, root } = this;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (node === 0) {
        node = root[c]!;
      } else {
        let child = next[node]!.get(c);
        while (child === undefined && node !== 0) {
          node = fail[node]!;
          child = node === 0 ? root[c] || undefined : next[node]!.get(c);
        }
        node = child ?? 0;
      }
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
