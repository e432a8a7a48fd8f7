// npm run eval:forecast — forecast accuracy on synthetic mailboxes with known growth.
// Targets: linear series within ±1 day of the true days-to-full; noisy series inside the interval.
import { forecast } from '../src/alerts/forecast.js';
import { rng, synthesize, type Shape } from './lib/usage-series.js';

const N = Number(process.env.N ?? 2000);
const now = Date.UTC(2026, 10, 30, 6);
const r = rng(20261130);

console.log(`forecast evaluation: ${N} synthetic mailboxes per shape, 30 daily samples each\n`);
console.log('shape      within ±1 day   in interval   median |error| (days)   p90 |error|   no forecast');
for (const shape of ['linear', 'noisy', 'deletions', 'weekly'] as Shape[]) {
  let within1 = 0;
  let inInterval = 0;
  let none = 0;
  const errors: number[] = [];
  for (let i = 0; i < N; i++) {
    const m = synthesize(shape, r, now);
    const f = forecast({ at: m.at, used: m.used, quotaBytes: m.quotaBytes }, { now });
    if (f.daysToFull === null) {
      none++;
      continue;
    }
    const err = Math.abs(f.daysToFull - m.trueDaysToFull);
    errors.push(err);
    if (err <= 1) within1++;
    const lo = f.interval?.low ?? 0;
    const hi = f.interval?.high ?? Infinity;
    if (m.trueDaysToFull >= lo - 1e-9 && m.trueDaysToFull <= hi + 1e-9) inInterval++;
  }
  errors.sort((a, b) => a - b);
  const pct = (x: number) => `${((x / N) * 100).toFixed(1)}%`.padStart(6);
  console.log(
    `${shape.padEnd(10)} ${pct(within1).padStart(13)}   ${pct(inInterval).padStart(11)}   ${errors[Math.floor(errors.length / 2)]!.toFixed(2).padStart(21)}   ${errors[Math.floor(errors.length * 0.9)]!.toFixed(2).padStart(11)}   ${String(none).padStart(11)}`,
  );
}
