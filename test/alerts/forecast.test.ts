import { describe, expect, it } from 'vitest';
import { forecast } from '../../src/alerts/forecast.js';
import { mailboxCondition } from '../../src/alerts/run.js';

const DAY = 86_400_000;
const GB = 1024 ** 3;
const now = Date.UTC(2026, 10, 30, 12);

function daily(values: number[], end = now): number[] {
  return values.map((_, i) => end - (values.length - 1 - i) * DAY);
}

describe('forecast', () => {
  it('linear growth: exact daily growth and days to full', () => {
    const used = Array.from({ length: 20 }, (_, i) => 5 * GB + i * 0.25 * GB);
    const f = forecast({ at: daily(used), used, quotaBytes: 10 * GB }, { now });
    expect(f.method).toBe('theil-sen');
    expect(f.dailyGrowth).toBe(0.25 * GB);
    // 9.75 GB used, 0.25 GB/day → 1 day
    expect(f.daysToFull).toBeCloseTo(1, 5);
    expect(f.usedPct).toBe(97.5);
    expect(new Date(f.fullAt!).getTime()).toBeCloseTo(now + DAY, -3);
  });

  it('ignores a deletion: the growth after the drop counts, from the new level', () => {
    const used: number[] = [];
    for (let i = 0; i < 30; i++) used.push((i < 15 ? 6 : 2) * GB + i * 0.1 * GB);
    const f = forecast({ at: daily(used), used, quotaBytes: 10 * GB }, { now });
    expect(f.dailyGrowth).toBeCloseTo(0.1 * GB, -6);
    // level now 2 + 2.9 = 4.9 GB → 51 days
    expect(f.daysToFull).toBeCloseTo(51, 0);
  });

  it('is not fooled by a one-day burst', () => {
    const used = Array.from({ length: 20 }, (_, i) => 3 * GB + i * 0.05 * GB);
    used[12]! += 2 * GB;
    const f = forecast({ at: daily(used), used, quotaBytes: 10 * GB }, { now });
    expect(f.dailyGrowth).toBeCloseTo(0.05 * GB, -6);
  });

  it('refuses to forecast from too few samples and says why', () => {
    const used = [1 * GB, 1.1 * GB, 1.2 * GB];
    const f = forecast({ at: daily(used), used, quotaBytes: 10 * GB }, { now });
    expect(f.method).toBe('insufficient-data');
    expect(f.daysToFull).toBeNull();
    expect(f.note).toMatch(/only 3 sample/);
  });

  it('explains a missing forecast right after a deletion', () => {
    const used = [...Array.from({ length: 10 }, (_, i) => 8 * GB + i * 0.1 * GB), 2 * GB, 2.1 * GB];
    const f = forecast({ at: daily(used), used, quotaBytes: 10 * GB }, { now });
    expect(f.method).toBe('insufficient-data');
    expect(f.note).toMatch(/deletion/);
  });

  it('no growth → no days to full; no quota → no forecast', () => {
    const flat = Array.from({ length: 10 }, () => 4 * GB);
    expect(forecast({ at: daily(flat), used: flat, quotaBytes: 10 * GB }, { now }).daysToFull).toBeNull();
    expect(forecast({ at: daily(flat), used: flat, quotaBytes: 0 }, { now }).method).toBe('no-quota');
  });

  it('uses the latest quota after a quota increase', () => {
    const used = Array.from({ length: 10 }, (_, i) => 9 * GB + i * 0.05 * GB);
    const f = forecast({ at: daily(used), used, quotaBytes: 20 * GB }, { now });
    expect(f.usedPct).toBeLessThan(50);
    expect(f.daysToFull).toBeGreaterThan(100);
  });

  it('samples in any order, duplicates collapse', () => {
    const used = Array.from({ length: 10 }, (_, i) => 1 * GB + i * 0.5 * GB);
    const at = daily(used);
    const order = [3, 1, 9, 0, 5, 7, 2, 8, 4, 6];
    const f = forecast({ at: [...order.map((i) => at[i]!), at[9]!], used: [...order.map((i) => used[i]!), used[9]!], quotaBytes: 10 * GB }, { now });
    expect(f.dailyGrowth).toBe(0.5 * GB);
    expect(f.samples).toBe(10);
  });

  it('the interval brackets the estimate on noisy data', () => {
    const used = Array.from({ length: 30 }, (_, i) => 2 * GB + i * 0.2 * GB + Math.sin(i * 7.3) * 0.15 * GB);
    const f = forecast({ at: daily(used), used, quotaBytes: 10 * GB }, { now });
    expect(f.interval!.low!).toBeLessThanOrEqual(f.daysToFull!);
    expect(f.interval!.high!).toBeGreaterThanOrEqual(f.daysToFull!);
  });
});

describe('alert condition', () => {
  const base = { usedBytes: 0, quotaBytes: 1, dailyGrowth: 1, fullAt: null, interval: null, method: 'theil-sen' as const, samples: 10 };
  it('alerts within the threshold or above 90 %, clears with hysteresis', () => {
    expect(mailboxCondition({ ...base, usedPct: 50, daysToFull: 2.5 }, 3)).toBe('alert');
    expect(mailboxCondition({ ...base, usedPct: 91, daysToFull: null }, 3)).toBe('alert');
    expect(mailboxCondition({ ...base, usedPct: 87, daysToFull: 30 }, 3)).toBe('hold');
    expect(mailboxCondition({ ...base, usedPct: 50, daysToFull: 4 }, 3)).toBe('hold');
    expect(mailboxCondition({ ...base, usedPct: 50, daysToFull: 30 }, 3)).toBe('clear');
  });
});
