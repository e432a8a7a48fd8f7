// A set of 53-bit hashes in two Int32Arrays (open addressing, linear probing): distinct counts of
// millions of addresses without a JS object, string or boxed number per entry.
export class HashSet53 {
  private hi: Int32Array;
  private lo: Int32Array;
  private used: Uint8Array;
  size = 0;

  constructor(capacity = 1 << 12) {
    this.hi = new Int32Array(capacity);
    this.lo = new Int32Array(capacity);
    this.used = new Uint8Array(capacity);
  }

  /** Adds the hash given as its high 32 and low 21 bits (see hash53Parts). */
  add(hi: number, lo: number): void {
    if (this.size * 2 >= this.used.length) this.grow();
    const mask = this.used.length - 1;
    let i = (Math.imul(hi ^ lo, 0x9e3779b1) >>> 0) & mask;
    while (this.used[i]) {
      if (this.hi[i] === hi && this.lo[i] === lo) return;
      i = (i + 1) & mask;
    }
    this.used[i] = 1;
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.size++;
  }

  /** All entries as [hi, lo, hi, lo, …] (for worker hand-off). */
  entries(): Int32Array {
    const out = new Int32Array(this.size * 2);
    let k = 0;
    for (let i = 0; i < this.used.length; i++) if (this.used[i]) { out[k++] = this.hi[i]!; out[k++] = this.lo[i]!; }
    return out;
  }

  addAll(pairs: Int32Array): void {
    for (let i = 0; i < pairs.length; i += 2) this.add(pairs[i]!, pairs[i + 1]!);
  }

  private grow(): void {
    const { hi, lo, used } = this;
    this.hi = new Int32Array(used.length * 2);
    this.lo = new Int32Array(used.length * 2);
    this.used = new Uint8Array(used.length * 2);
    this.size = 0;
    for (let i = 0; i < used.length; i++) if (used[i]) this.add(hi[i]!, lo[i]!);
  }
}

/** Adds the 53-bit hash of `s` (two FNV-1a variants: ~1e-6 expected collisions at 200k values). */
export function addHashed(set: HashSet53, s: string): void {
  let a = 0x811c9dc5, b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  set.add(a | 0, b & 0x1fffff);
}
