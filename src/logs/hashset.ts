// A set of 53-bit hashes in one Int32Array (open addressing, linear probing): distinct counts of
// millions of addresses without a JS object, string or boxed number per entry.
export class HashSet53 {
  /** [hi, lo + 1] per slot; lo + 1 = 0 marks an empty slot (one cache line per probe) */
  private slots: Int32Array;
  size = 0;

  constructor(capacity = 1 << 12) {
    this.slots = new Int32Array(capacity * 2);
  }

  /** Adds the hash given as its high 32 and low 21 bits (see addHashed). */
  add(hi: number, lo: number): void {
    let slots = this.slots;
    if (this.size * 4 >= slots.length) { this.grow(); slots = this.slots; }
    const mask = slots.length - 2;
    const lo1 = lo + 1;
    let i = (Math.imul(hi ^ lo, 0x9e3779b1) << 1) & mask;
    for (let l = slots[i + 1]!; l !== 0; l = slots[i + 1]!) {
      if (l === lo1 && slots[i] === hi) return;
      i = (i + 2) & mask;
    }
    slots[i] = hi;
    slots[i + 1] = lo1;
    this.size++;
  }

  /** All entries as [hi, lo, hi, lo, …] (for worker hand-off). */
  entries(): Int32Array {
    const out = new Int32Array(this.size * 2);
    const slots = this.slots;
    let k = 0;
    for (let i = 0; i < slots.length; i += 2) if (slots[i + 1] !== 0) { out[k++] = slots[i]!; out[k++] = slots[i + 1]! - 1; }
    return out;
  }

  addAll(pairs: Int32Array): void {
    for (let i = 0; i < pairs.length; i += 2) this.add(pairs[i]!, pairs[i + 1]!);
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.add(old[i]!, old[i + 1]! - 1);
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

/**
 * The bytes buf[a, e) of an ASCII address, hashed as addHashed hashes lowerDomain(address): the
 * part after `at` (its last '@', -1 if none) lower-cased. Results land in `bytesHash`: the 53-bit
 * pair and a 32-bit hash of the lower-cased domain alone (for ByteKeyCache).
 */
export const bytesHash = { hi: 0, lo: 0, dom: 0 };
export function hashAddressBytes(buf: Uint8Array, a: number, e: number, at: number): void {
  let x = 0x811c9dc5, y = 0x9747b28c;
  let i = a;
  const local = at < 0 ? e : at + 1;
  for (; i < local; i++) {
    const c = buf[i]!;
    x = Math.imul(x ^ c, 0x01000193);
    y = Math.imul(y ^ c, 0x5bd1e995);
  }
  let d = 0x811c9dc5;
  for (; i < e; i++) {
    let c = buf[i]!;
    if (c >= 65 && c <= 90) c += 32;
    x = Math.imul(x ^ c, 0x01000193);
    y = Math.imul(y ^ c, 0x5bd1e995);
    d = Math.imul(d ^ c, 0x01000193);
  }
  bytesHash.hi = x | 0;
  bytesHash.lo = y & 0x1fffff;
  bytesHash.dom = d | 0;
}
