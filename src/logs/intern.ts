// Map entries found by the bytes of their key: the fast path looks up a domain's counters (or a
// login's AccountRef) from the log line's bytes and decodes the key only the first time it appears.

/** Entries cached before the cache starts over (the map itself keeps everything). */
const MAX_CACHED = 1 << 16;
/** Longer keys (no real domain or login is) are looked up without caching: bounded memory. */
const MAX_KEY = 255;

export class ByteKeyCache<V> {
  private hashes = new Int32Array(1024);
  private keys: (string | undefined)[] = new Array<string | undefined>(1024).fill(undefined);
  private vals: (V | undefined)[] = new Array<V | undefined>(1024).fill(undefined);
  private size = 0;

  /**
   * `entry` returns the map's entry for a key (created if new), as the string path does; `fold`:
   * keys are the bytes lower-cased (domains), else as they are.
   */
  constructor(private readonly entry: (key: string) => V, private readonly fold: boolean) {}

  /** The entry for the ASCII bytes buf[a, e) (lower-cased if folding), whose FNV-1a hash is `h`. */
  get(buf: Buffer, a: number, e: number, h: number): V {
    const keys = this.keys;
    const mask = keys.length - 1;
    let i = h & mask;
    for (let k = keys[i]; k !== undefined; k = keys[i]) {
      if (this.hashes[i] === h && same(k, buf, a, e, this.fold)) return this.vals[i]!;
      i = (i + 1) & mask;
    }
    const raw = buf.toString('latin1', a, e);
    const key = this.fold ? raw.toLowerCase() : raw;
    const v = this.entry(key);
    if (e - a > MAX_KEY) return v;
    if (this.size * 2 >= mask) {
      this.clear(this.size >= MAX_CACHED ? keys.length : keys.length * 2);
      return v; // cached on its next appearance
    }
    this.hashes[i] = h;
    keys[i] = key;
    this.vals[i] = v;
    this.size++;
    return v;
  }

  private clear(cap: number): void {
    this.hashes = new Int32Array(cap);
    this.keys = new Array<string | undefined>(cap).fill(undefined);
    this.vals = new Array<V | undefined>(cap).fill(undefined);
    this.size = 0;
  }
}

/** k equals the bytes buf[a, e) (lower-cased if `fold`). */
function same(k: string, buf: Buffer, a: number, e: number, fold: boolean): boolean {
  if (k.length !== e - a) return false;
  for (let i = 0; i < k.length; i++) {
    let c = buf[a + i]!;
    if (fold && c >= 65 && c <= 90) c += 32;
    if (k.charCodeAt(i) !== c) return false;
  }
  return true;
}

/** 32-bit FNV-1a of buf[a, e) as they are (the hash `get` takes for keys that are not folded). */
export function fnvBytes(buf: Buffer, a: number, e: number): number {
  let h = 0x811c9dc5;
  for (let i = a; i < e; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h | 0;
}
