// Synthetic mailbox usage with a known future, for the forecast evaluation and benchmark.
export { rng } from './rng.js';

export type Shape = 'linear' | 'noisy' | 'deletions' | 'weekly';

export interface SyntheticMailbox {
  shape: Shape;
  at: number[];
  used: number[];
  quotaBytes: number;
  /** true days until the noise-free process reaches the quota, from `now` */
  trueDaysToFull: number;
}

const DAY = 86_400_000;
const GB = 1024 ** 3;

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
}

/** `days` daily samples ending at `now`; growth and quota drawn at random. */
export function synthesize(shape: Shape, r: () => number, now: number, days = 30): SyntheticMailbox {
  const quotaBytes = (1 + Math.floor(r() * 50)) * GB;
  const dailyGrowth = quotaBytes * (0.002 + r() * 0.02);
  // weekly: all growth on weekdays, none at the weekend (same weekly total as 7 × dailyGrowth × 7/5)
  const growthOn = (day: number) => {
    if (shape !== 'weekly') return dailyGrowth;
    const dow = new Date(day * DAY).getUTCDay();
    return dow === 0 || dow === 6 ? 0 : (dailyGrowth * 7) / 5;
  };
  const startDay = Math.floor(now / DAY) - days + 1;
  let level = quotaBytes * (0.2 + r() * 0.3);
  const at: number[] = [];
  const used: number[] = [];
  const noise = shape === 'noisy' ? quotaBytes * 0.004 : 0;
  const deletionDays = new Set<number>();
  if (shape === 'deletions') {
    deletionDays.add(startDay + 8 + Math.floor(r() * 8));
    if (r() < 0.5) deletionDays.add(startDay + 3 + Math.floor(r() * 4));
  }
  for (let d = startDay; d <= Math.floor(now / DAY); d++) {
    if (d > startDay) level += growthOn(d);
    if (deletionDays.has(d)) level *= 0.5 + r() * 0.3;
    // bursts: a big mail now and then, in the noisy and deletion shapes
    const burst = shape !== 'linear' && shape !== 'weekly' && r() < 0.05 ? quotaBytes * 0.03 : 0;
    at.push(d * DAY + 6 * 3600_000);
    used.push(Math.max(0, level + burst + noise * gauss(r)));
  }
  // Walk the noise-free process forward to the day it fills (bursts are transient).
  let future = level;
  let day = Math.floor(now / DAY);
  let steps = 0;
  while (future < quotaBytes && steps < 10_000) {
    day++;
    steps++;
    const g = growthOn(day);
    if (future + g >= quotaBytes) {
      steps += (quotaBytes - future) / g - 1;
      break;
    }
    future += g;
  }
  // `now` sits at 06:00 of the last sample day, like the samples themselves.
  return { shape, at, used, quotaBytes, trueDaysToFull: steps };
}
