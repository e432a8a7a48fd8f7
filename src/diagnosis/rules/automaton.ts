// Aho-Corasick automaton over UTF-16 code units: finds every phrase in one left-to-right pass, so
// the cost per text is linear in its length whatever the number of rules (no regex backtracking).
// ASCII steps use a precomputed dense transition table (one array read per character); other
// characters (CJK phrases) walk the trie's failure links.

const EMPTY: readonly number[] = [];

/** Key of the trie edge from `node` on UTF-16 code unit `c` in the one edge map. */
const edge = (node: number, c: number): number => node * 65536 + c;

export class PhraseAutomaton {
  /** every trie edge, keyed by edge(): one map, not one per node (16k Maps cost the start-up ~40 ms of GC) */
  private readonly next = new Map<number, number>();
  /** children of a node as a linked list, for the breadth-first pass */
  private readonly firstChild: number[] = [-1];
  private readonly sibling: number[] = [-1];
  private readonly code: number[] = [0];
  private readonly fail: number[] = [0];
  private readonly out: (readonly number[])[] = [EMPTY];
  /** dense[node * 128 + asciiCode] = next node, failure links already applied */
  private readonly dense: Uint16Array | Int32Array;
  /** 1 where a node ends at least one phrase (skips the output check on most steps) */
  private readonly hasOut: Uint8Array;

  constructor(patterns: readonly string[]) {
    const { next, firstChild, sibling, code, fail, out } = this;
    patterns.forEach((p, id) => {
      let node = 0;
      for (let i = 0; i < p.length; i++) {
        const c = p.charCodeAt(i);
        let child = next.get(edge(node, c));
        if (child === undefined) {
          child = fail.length;
          fail.push(0);
          out.push(EMPTY);
          code.push(c);
          firstChild.push(-1);
          sibling.push(firstChild[node]!);
          firstChild[node] = child;
          next.set(edge(node, c), child);
        }
        node = child;
      }
      out[node] = [...out[node]!, id];
    });
    const nodes = fail.length;
    // 16-bit node ids halve the table while they fit
    const dense = (this.dense = nodes < 65536 ? new Uint16Array(nodes * 128) : new Int32Array(nodes * 128));

    // breadth-first: failure links, inherited outputs, and the dense ASCII transitions
    const order: number[] = [0];
    for (let qi = 0; qi < order.length; qi++) {
      const node = order[qi]!;
      for (let child = firstChild[node]!; child >= 0; child = sibling[child]!) {
        const c = code[child]!;
        if (node !== 0) {
          let f = fail[node]!;
          while (f !== 0 && !next.has(edge(f, c))) f = fail[f]!;
          fail[child] = next.get(edge(f, c)) ?? 0;
          const inherited = out[fail[child]!]!;
          if (inherited.length) out[child] = [...out[child]!, ...inherited];
        }
        order.push(child);
      }
      // the failure node's row (complete: it is shallower, so earlier in this order), then this
      // node's own ASCII children over it; the root's row is all zeros but for its children
      const row = node * 128;
      if (node !== 0) dense.copyWithin(row, fail[node]! * 128, fail[node]! * 128 + 128);
      for (let child = firstChild[node]!; child >= 0; child = sibling[child]!) if (code[child]! < 128) dense[row + code[child]!] = child;
    }
    this.hasOut = new Uint8Array(nodes);
    for (let n = 0; n < nodes; n++) if (out[n]!.length) this.hasOut[n] = 1;
  }

  get size(): number {
    return this.fail.length;
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
        let child = next.get(edge(node, c));
        while (child === undefined && node !== 0) {
          node = fail[node]!;
          child = next.get(edge(node, c));
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
