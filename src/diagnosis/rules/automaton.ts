// Aho-Corasick automaton over UTF-16 code units: finds every phrase in one left-to-right pass, so
// the cost per text is linear in its length whatever the number of rules (no regex backtracking).
// ASCII steps use a precomputed dense transition table (one array read per character); other
// characters (CJK phrases) walk the trie's failure links.

const EMPTY: readonly number[] = [];

export class PhraseAutomaton {
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  private readonly out: (readonly number[])[] = [EMPTY];
  /** dense[node * 128 + asciiCode] = next node, failure links already applied */
  private readonly dense: Uint16Array | Int32Array;
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
      }
      this.out[node] = [...this.out[node]!, id];
    });
    // 16-bit node ids halve the table while they fit
    this.dense = this.next.length < 65536 ? new Uint16Array(this.next.length * 128) : new Int32Array(this.next.length * 128);

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
      // the failure node's row (complete: it is shallower, so earlier in this order), then this
      // node's own ASCII children over it; the root's row is all zeros but for its children
      const row = node * 128;
      if (node !== 0) this.dense.copyWithin(row, this.fail[node]! * 128, this.fail[node]! * 128 + 128);
      for (const [c, child] of this.next[node]!) if (c < 128) this.dense[row + c] = child;
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
    const { next, fail, out, dense, hasOut } = this;
    let node = 0;
    let count = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 128) {
        node = dense[(node << 7) | c]!;
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
