import { describe, expect, it } from 'vitest';
import { QueueTable } from '../../src/logs/qtable.js';

describe('QueueTable', () => {
  it('behaves like a Map under random adds and deletes (string and byte keys alike)', () => {
    const t = new QueueTable<{ seq: number; id: string }>();
    const model = new Map<string, { seq: number; id: string }>();
    let x = 12345;
    const rnd = (n: number): number => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x % n; };
    const ABC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    const ids = Array.from({ length: 3000 }, (_, i) => Array.from({ length: 5 + (i % 20) }, () => ABC[rnd(62)]).join(''));
    let wrong = 0;
    for (let step = 0; step < 40_000; step++) {
      const id = ids[rnd(ids.length)]!;
      const bytes = Buffer.from(`xx${id}yy`);
      if (!(step % 2 ? t.keyOf(id) : t.keyOfBytes(bytes, 2, 2 + id.length))) wrong++;
      if (t.get() !== model.get(id)) wrong++;
      if (rnd(3) === 0) { t.delete(); model.delete(id); } else if (!model.has(id)) { const v = { seq: 0, id }; t.add(v); model.set(id, v); }
      if (t.size !== model.size) wrong++;
    }
    expect(wrong).toBe(0);
    for (const [id, v] of model) { t.keyOf(id); expect(t.get()).toBe(v); }
  });

  it('refuses ids that are not letters and digits or too long, and evicts the oldest entries first', () => {
    const t = new QueueTable<{ seq: number; n: number }>();
    expect(t.keyOf('AB-12')).toBe(false);
    expect(t.keyOf('A'.repeat(25))).toBe(false);
    expect(t.keyOf('')).toBe(false);
    for (let n = 0; n < 100; n++) { t.keyOf(`Q${n}X`); t.add({ seq: 0, n }); }
    t.keyOf('Q5X');
    t.delete();
    t.keyOf('Q50X');
    expect(t.evictOldest(10)).toBe(10);
    expect(t.get()?.n).toBe(50); // the current key survives the rebuild
    expect(t.size).toBe(89);
    const left = Array.from({ length: 100 }, (_, n) => (t.keyOf(`Q${n}X`), t.get() !== undefined));
    expect(left.slice(0, 11).filter(Boolean)).toHaveLength(0); // 0–10 went (5 was deleted before)
    expect(left.slice(11).every(Boolean)).toBe(true);
  });
});
