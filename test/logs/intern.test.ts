import { describe, expect, it } from 'vitest';
import { ByteKeyCache, fnvBytes } from '../../src/logs/intern.js';

/** FNV-1a of the lower-cased bytes, as hashAddressBytes gives it for a domain. */
const fnvLower = (b: Buffer): number => fnvBytes(Buffer.from(b.toString('latin1').toLowerCase(), 'latin1'), 0, b.length);

describe('ByteKeyCache', () => {
  it('finds the entry of a key from its bytes, folding case when asked, and asks for it once', () => {
    const made: string[] = [];
    const domains = new ByteKeyCache((k) => { made.push(k); return { k }; }, true);
    const a = Buffer.from('xx Example.COM yy');
    const first = domains.get(a, 3, 14, fnvLower(a.subarray(3, 14)));
    const b = Buffer.from('example.com');
    expect(domains.get(b, 0, b.length, fnvLower(b))).toBe(first);
    expect(made).toEqual(['example.com']);
    const logins = new ByteKeyCache((k) => k, false);
    const u = Buffer.from('Ann');
    const l = Buffer.from('ann');
    expect(logins.get(u, 0, 3, fnvBytes(u, 0, 3))).toBe('Ann');
    expect(logins.get(l, 0, 3, fnvBytes(l, 0, 3))).toBe('ann');
  });

  it('does not keep keys longer than any domain or login (bounded memory), and survives filling up', () => {
    let calls = 0;
    const cache = new ByteKeyCache((k) => { calls++; return k.length; }, true);
    const long = Buffer.from('a'.repeat(300));
    for (let i = 0; i < 3; i++) expect(cache.get(long, 0, 300, fnvLower(long))).toBe(300);
    expect(calls).toBe(3);
    for (let i = 0; i < 5000; i++) {
      const k = Buffer.from(`d${i}.example`);
      expect(cache.get(k, 0, k.length, fnvLower(k))).toBe(k.length);
    }
    const again = Buffer.from('d4999.example');
    const before = calls;
    cache.get(again, 0, again.length, fnvLower(again));
    expect(calls - before).toBeLessThanOrEqual(1);
  });
});
