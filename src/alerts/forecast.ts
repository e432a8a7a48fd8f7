// Storage forecast for one mailbox from its usage samples. Pure and allocation-light: the scheduled
// run calls it for every mailbox of a tenant (a million in the benchmark).
//
// Method: Theil–Sen slope (median of pairwise slopes) over the samples since the last large deletion,
// which ignores bursts and is unaffected by the deletion step itself; the level "now" is the median
// of the detrended residuals; the interval combines the Kendall-based slope confidence bounds with the
// residual spread (MAD).

export interface UsageSeries {
  /** sample times, ms since epoch (any order) */
  at: ArrayLike<number>;
  /** used bytes at those times */
  used: ArrayLike<number>;
  /** current quota in bytes (the latest one counts; quota changes need no history) */
  quotaBytes: number;
}

export interface ForecastOptions {
  now?: number;
  /** days of history used at most */
  windowDays?: number;
  minSamples?: number;
  /** minimum days spanned by the samples used */
  minSpanDays?: number;
}

export type ForecastMethod = 'theil-sen' | 'insufficient-data' | 'no-quota';

export interface Forecast {
  usedBytes: number;
  quotaBytes: number;
  usedPct: number;
  /** bytes per day (negative: shrinking) */
  dailyGrowth: number | null;
  daysToFull: number | null;
  fullAt: string | null;
  /** days-to-full bounds (low = soonest); null bound = not within the horizon */
  interval: { low: number | null; high: number | null } | null;
  method: ForecastMethod;
  samples: number;
  /** why there is no forecast, when there is none */
  note?: string;
}

const DAY = 86_400_000;
/** a drop larger than this share of the quota (or of the usage) starts a new segment */
const DELETION_SHARE = 0.05;
const Z = 1.96;

export function forecast(series: UsageSeries, opts: ForecastOptions = {}): Forecast & { toJSON(): Forecast } {
  const now = opts.now ?? Date.now();
  const windowDays = opts.windowDays ?? 30;
  const minSamples = opts.minSamples ?? 5;
  const minSpanDays = opts.minSpanDays ?? 3;
  const quota = series.quotaBytes;

  // Keep the window, in time order (usually already sorted), duplicate timestamps collapsed (last wins).
  const len = series.at.length;
  let sorted = true;
  for (let i = 1; i < len && sorted; i++) sorted = series.at[i - 1]! <= series.at[i]!;
  const order = sorted ? null : Array.from({ length: len }, (_, i) => i).sort((a, b) => series.at[a]! - series.at[b]!);
  const t: number[] = [];
  const y: number[] = [];
  const from = now - windowDays * DAY;
  for (let k = 0; k < len; k++) {
    const i = order ? order[k]! : k;
    const at = series.at[i]!;
    if (at < from || at > now + DAY) continue;
    const day = at / DAY;
    if (t.length && t[t.length - 1] === day) y[y.length - 1] = series.used[i]!;
    else {
      t.push(day);
      y.push(series.used[i]!);
    }
  }
  const latest = y.length ? y[y.length - 1]! : 0;
  const usedPct = quota > 0 ? round((latest / quota) * 100, 2) : 0;
  if (!(quota > 0)) return new Result(latest, quota, usedPct, null, null, now, null, 'no-quota', t.length, 'no quota: the mailbox cannot fill up');

  // Start after the last large deletion: the level changed, the growth habit did not. Levels are
  // medians of three samples on each side, so a one-day burst is not mistaken for a deletion.
  let start = 0;
  for (let i = 1; i < y.length; i++) {
    const before = med3(y, i - 3, i);
    const after = med3(y, i, i + 3);
    const drop = before - after;
    if (drop > DELETION_SHARE * quota || drop > DELETION_SHARE * 2 * before) start = i;
  }
  const n = t.length - start;
  const span = n > 0 ? t[t.length - 1]! - t[start]! : 0;
  if (n < minSamples || span < minSpanDays) {
    const why = start > 0
      ? `only ${n} sample(s) over ${round(span, 1)} day(s) since usage dropped (a deletion); need ${minSamples} over ${minSpanDays} days`
      : `only ${n} sample(s) over ${round(span, 1)} day(s); need ${minSamples} over ${minSpanDays} days`;
    return new Result(latest, quota, usedPct, null, null, now, null, 'insufficient-data', t.length, why);
  }

  const k = (n * (n - 1)) / 2;
  const slopes = scratch(k);
  let m = 0;
  for (let i = start; i < t.length; i++)
    for (let j = i + 1; j < t.length; j++) slopes[m++] = (y[j]! - y[i]!) / (t[j]! - t[i]!);
  // Selection instead of a full sort: the run forecasts a million mailboxes.
  const slope = medianOf(slopes, k);
  // Kendall-based confidence bounds on the slope (Sen 1968).
  const c = Z * Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  const lo = select(slopes, k, clamp(Math.floor((k - c) / 2), 0, k - 1));
  const hi = select(slopes, k, clamp(Math.ceil((k + c) / 2), 0, k - 1));

  const tNow = now / DAY;
  const resid = residScratch(n);
  for (let i = 0; i < n; i++) resid[i] = y[start + i]! - slope * (t[start + i]! - tNow);
  const level = Math.max(0, medianOf(resid, n));
  for (let i = 0; i < n; i++) resid[i] = Math.abs(resid[i]! - level);
  const spread = 1.4826 * medianOf(resid, n); // MAD → standard deviation under normal noise

  const remaining = quota - level;
  const days = (rate: number, rem: number) => (rem <= 0 ? 0 : rate > 0 ? rem / rate : null);
  const daysToFull = days(slope, remaining);
  const soonest = days(hi, remaining - Z * spread);
  const latestDay = days(lo, remaining + Z * spread);
  return new Result(
    latest,
    quota,
    usedPct,
    round(slope, 0),
    daysToFull === null ? null : round(daysToFull, 2),
    now,
    // rounded outwards, so the interval never shrinks past what was computed
    { low: soonest === null ? null : Math.floor(soonest * 100) / 100, high: latestDay === null ? null : Math.ceil(latestDay * 100) / 100 },
    'theil-sen',
    n,
  );
}

/** A Forecast whose `fullAt` is formatted on first read: the scheduled run forecasts a million
 *  mailboxes and reads it for few (building and formatting dominated the run's time). */
class Result implements Forecast {
  constructor(
    readonly usedBytes: number,
    readonly quotaBytes: number,
    readonly usedPct: number,
    readonly dailyGrowth: number | null,
    readonly daysToFull: number | null,
    private readonly now: number,
    readonly interval: Forecast['interval'],
    readonly method: ForecastMethod,
    readonly samples: number,
    readonly note?: string,
  ) {}

  get fullAt(): string | null {
    return this.daysToFull === null ? null : new Date(this.now + this.daysToFull * DAY).toISOString();
  }

  toJSON(): Forecast {
    const { usedBytes, quotaBytes, usedPct, dailyGrowth, daysToFull, fullAt, interval, method, samples, note } = this;
    return { usedBytes, quotaBytes, usedPct, dailyGrowth, daysToFull, fullAt, interval, method, samples, ...(note === undefined ? {} : { note }) };
  }
}

/** median of y[from, to) clipped to the array (1 to 3 values; the lower middle for 2) */
function med3(y: number[], from: number, to: number): number {
  const a = Math.max(0, from);
  const b = Math.min(y.length, to);
  if (b - a === 1) return y[a]!;
  if (b - a === 2) return Math.min(y[a]!, y[a + 1]!);
  const p = y[a]!, q = y[a + 1]!, r = y[a + 2]!;
  return Math.max(Math.min(p, q), Math.min(Math.max(p, q), r));
}

let residBuffer = new Float64Array(128);
function residScratch(size: number): Float64Array {
  if (residBuffer.length < size) residBuffer = new Float64Array(size);
  return residBuffer;
}

let buffer = new Float64Array(1024);
function scratch(size: number): Float64Array {
  if (buffer.length < size) buffer = new Float64Array(size);
  return buffer;
}

/** k-th smallest of a[0, n) (Hoare's selection; reorders a). */
function select(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const tmp = a[i]!;
        a[i] = a[j]!;
        a[j] = tmp;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

function medianOf(a: Float64Array, n: number): number {
  const m = n >> 1;
  if (n % 2) return select(a, n, m);
  return (select(a, n, m - 1) + select(a, n, m)) / 2;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const SCALE = [1, 10, 100];
const round = (v: number, digits: 0 | 1 | 2) => Math.round(v * SCALE[digits]!) / SCALE[digits]!;
