// Open Postfix messages by queue id. The id's characters are packed into three exact numbers (eight
// base-63 digits each), so the byte-level fast path finds a message without making a string, and
// the string parser finds the same entry from a string. Open addressing with linear probing and
// backward-shift deletion; entries remember their insertion order for bounded eviction.

/** Longest queue id the table takes (the Postfix parsers accept ids of up to 20 characters). */
const MAX_QID = 24;

/** 1..62 for [0-9A-Za-z] (digits 1–10, A–F 11–16), 0 for any other byte. */
export const QID_DIGIT = new Uint8Array(256);
for (let c = 48; c <= 57; c++) QID_DIGIT[c] = c - 47;
for (let c = 65; c <= 90; c++) QID_DIGIT[c] = c - 54;
for (let c = 97; c <= 122; c++) QID_DIGIT[c] = c - 60;

const SCRATCH = new Uint8Array(MAX_QID);

export class QueueTable<V extends { seq: number }> {
  private k0 = new Float64Array(1024);
  private k1 = new Float64Array(1024);
  private k2 = new Float64Array(1024);
  private vals: (V | undefined)[] = new Array<V | undefined>(1024).fill(undefined);
  private mask = 1023;
  size = 0;
  private nextSeq = 0;
  // the key that keyOf/keyOfBytes packed last
  private a0 = 0;
  private a1 = 0;
  private a2 = 0;

  /** Packs the id s[a, b) as the current key; false when it is not 1–24 letters and digits. */
  keyOf(s: string, a = 0, b = s.length): boolean {
    if (b <= a || b - a > MAX_QID) return false;
    const scratch = SCRATCH;
    for (let i = a; i < b; i++) scratch[i - a] = Math.min(s.charCodeAt(i), 255);
    return this.keyOfBytes(scratch, 0, b - a);
  }

  /** keyOf for the bytes buf[a, b). */
  keyOfBytes(buf: Uint8Array, a: number, b: number): boolean {
    if (b <= a || b - a > MAX_QID) return false;
    let k0 = 0, k1 = 0, k2 = 0;
    for (let i = a; i < b; i++) {
      const c = buf[i]!;
      const d = QID_DIGIT[c]!;
      if (d === 0) return false;
      const n = i - a;
      if (n < 8) k0 = k0 * 63 + d; else if (n < 16) k1 = k1 * 63 + d; else k2 = k2 * 63 + d;
    }
    this.a0 = k0; this.a1 = k1; this.a2 = k2;
    return true;
  }

  private slot(): number {
    const k0 = this.a0, k1 = this.a1;
    let h = (k0 >>> 0) ^ Math.imul((k0 / 4294967296) | 0, 0x85ebca6b) ^ Math.imul(k1 >>> 0, 0xc2b2ae35) ^ Math.imul((k1 / 4294967296) | 0, 0x27d4eb2f) ^ (this.a2 >>> 0);
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
    return (h ^ (h >>> 15)) & this.mask;
  }

  /** Slot of the current key, or -1. */
  private find(): number {
    const vals = this.vals, k0 = this.k0, k1 = this.k1, k2 = this.k2;
    for (let i = this.slot(); ; i = (i + 1) & this.mask) {
      if (vals[i] === undefined) return -1;
      if (k0[i] === this.a0 && k1[i] === this.a1 && k2[i] === this.a2) return i;
    }
  }

  /** The entry of the current key. */
  get(): V | undefined {
    const i = this.find();
    return i < 0 ? undefined : this.vals[i];
  }

  /** Adds an entry under the current key, which must not be present. */
  add(v: V): void {
    if ((this.size + 1) * 2 > this.mask) this.grow();
    this.put(v);
    v.seq = this.nextSeq++;
  }

  private put(v: V): void {
    let i = this.slot();
    while (this.vals[i] !== undefined) i = (i + 1) & this.mask;
    this.k0[i] = this.a0; this.k1[i] = this.a1; this.k2[i] = this.a2;
    this.vals[i] = v;
    this.size++;
  }

  /** Removes the entry of the current key, if any. */
  delete(): void {
    let i = this.find();
    if (i < 0) return;
    const vals = this.vals, mask = this.mask;
    this.size--;
    // backward shift: move later entries of the probe run into the hole so lookups need no tombstones
    for (let j = (i + 1) & mask; vals[j] !== undefined; j = (j + 1) & mask) {
      this.a0 = this.k0[j]!; this.a1 = this.k1[j]!; this.a2 = this.k2[j]!;
      const home = this.slot();
      if (((j - home) & mask) >= ((j - i) & mask)) {
        this.k0[i] = this.a0; this.k1[i] = this.a1; this.k2[i] = this.a2;
        vals[i] = vals[j];
        i = j;
      }
    }
    vals[i] = undefined;
  }

  /** Drops the `n` oldest entries (by insertion); returns how many went. */
  evictOldest(n: number): number {
    const seqs = new Float64Array(this.size);
    let k = 0;
    for (const v of this.vals) if (v !== undefined) seqs[k++] = v.seq;
    if (n >= k) n = k;
    if (n <= 0) return 0;
    seqs.sort();
    this.rebuild(this.vals.length, seqs[n - 1]!);
    return n;
  }

  private grow(): void {
    this.rebuild(this.vals.length * 2, -1);
  }

  /** Re-inserts every entry newer than `cut` into tables of `cap` slots; keeps the current key. */
  private rebuild(cap: number, cut: number): void {
    const old = this.vals, k0 = this.k0, k1 = this.k1, k2 = this.k2;
    this.vals = new Array<V | undefined>(cap).fill(undefined);
    this.k0 = new Float64Array(cap); this.k1 = new Float64Array(cap); this.k2 = new Float64Array(cap);
    this.mask = cap - 1;
    this.size = 0;
    const s0 = this.a0, s1 = this.a1, s2 = this.a2;
    for (let i = 0; i < old.length; i++) {
      const v = old[i];
      if (v === undefined || v.seq <= cut) continue;
      this.a0 = k0[i]!; this.a1 = k1[i]!; this.a2 = k2[i]!;
      this.put(v);
    }
    this.a0 = s0; this.a1 = s1; this.a2 = s2;
  }
}
