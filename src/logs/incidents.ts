// Incident windows: a root cause that rises for one destination (or across the whole server)
// above its own background rate. Works on the compact failure log kept by the Tally, after every
// failure group has been classified.
import { NONE, type FailureGroup, type FailureKind, type FailureLog, type Tally } from './tally.js';
import type { RootCause } from '../core/taxonomy.js';

export const BUCKET_MS = 10 * 60_000;
const MIN_INCIDENT = 20;
const MIN_BUCKET = 5;

/** Failure groups of one kind, root cause and target (the texts may differ). */
export interface Series { kind: FailureKind; rootCause: RootCause; target: string; groups: FailureGroup[]; count: number }

export interface IncidentWindow {
  scope: 'destination' | 'server';
  kind: FailureKind | 'mixed';
  rootCause: RootCause;
  target: string;
  groups: FailureGroup[];
  start: number;
  end: number;
  count: number;
  affectedSenders: number;
  affectedRecipients: number;
}

/** Merges classified groups into series (kind, rootCause, target). */
export function seriesOf(groups: FailureGroup[]): Series[] {
  const m = new Map<string, Series>();
  for (const g of groups) {
    const rc = g.cls?.rootCause ?? 'unknown';
    const key = `${g.kind}\t${rc}\t${g.target}`;
    let s = m.get(key);
    if (!s) { s = { kind: g.kind, rootCause: rc, target: g.target, groups: [], count: 0 }; m.set(key, s); }
    s.groups.push(g);
    s.count += g.count;
  }
  return [...m.values()];
}

/** Failure records (indices into the log) sorted by group: group g's are recs[start[g]] … recs[start[g + 1] - 1]. */
interface ByGroup { start: Int32Array; recs: Int32Array }

function byGroup(f: FailureLog, groups: number): ByGroup {
  const start = new Int32Array(groups + 1);
  for (let i = 0; i < f.n; i++) start[f.g[i]! + 1]!++;
  for (let g = 0; g < groups; g++) start[g + 1]! += start[g]!;
  const recs = new Int32Array(start[groups]!);
  const next = start.slice(0, groups);
  for (let i = 0; i < f.n; i++) recs[next[f.g[i]!]!++] = i;
  return { start, recs };
}

/** The records of these groups in one array (copied in blocks): a window reads only its own failures. */
function recordsOf(groups: FailureGroup[], { start, recs }: ByGroup): Int32Array {
  let n = 0;
  for (const g of groups) n += start[g.index + 1]! - start[g.index]!;
  const out = new Int32Array(n);
  n = 0;
  for (const g of groups) {
    const from = start[g.index]!, to = start[g.index + 1]!;
    out.set(recs.subarray(from, to), n);
    n += to - from;
  }
  return out;
}

/** Failures per 10-minute bucket b0 + k, for k < buckets (records outside are not counted). */
function bucketCounts(f: FailureLog, recs: Int32Array, b0: number, buckets: number): Int32Array {
  const counts = new Int32Array(buckets);
  for (let j = 0; j < recs.length; j++) {
    const k = Math.floor(f.t[recs[j]!]! / BUCKET_MS) - b0;
    if (k >= 0 && k < buckets) counts[k]!++;
  }
  return counts;
}

/** Runs of "hot" buckets (count ≥ threshold), gaps of one quiet bucket allowed; bucket numbers from b0. */
function hotRuns(counts: Int32Array, b0: number): { from: number; to: number }[] {
  const median = counts.length ? counts.slice().sort()[counts.length >> 1]! : 0; // a typed array sorts numerically
  const threshold = Math.max(MIN_BUCKET, 3 * median + 2);
  const runs: { from: number; to: number }[] = [];
  let cur: { from: number; to: number } | null = null;
  for (let k = 0; k < counts.length; k++) {
    if (counts[k]! < threshold) continue;
    const b = b0 + k;
    if (cur && b - cur.to <= 2) cur.to = b;
    else { cur = { from: b, to: b }; runs.push(cur); }
  }
  return runs;
}

/** Exact count, first and last time, distinct senders and recipients of the window's failures. */
function measure(inc: IncidentWindow, f: FailureLog, recs: Int32Array): void {
  const senders = new Set<number>();
  const rcpts = new Set<number>();
  let first = Infinity, last = -Infinity;
  for (let j = 0; j < recs.length; j++) {
    const i = recs[j]!;
    const t = f.t[i]!;
    if (t < inc.start || t >= inc.end) continue;
    inc.count++;
    if (t < first) first = t;
    if (t > last) last = t;
    if (f.s[i]! !== NONE) senders.add(f.s[i]!);
    if (f.r[i]! !== NONE) rcpts.add(f.r[i]!);
  }
  inc.start = first;
  inc.end = last;
  inc.affectedSenders = senders.size;
  inc.affectedRecipients = rcpts.size;
}

export function detectIncidents(tally: Tally, all: Series[]): IncidentWindow[] {
  const f = tally.failures;
  if (f.n === 0) return [];
  const b0 = Math.floor(tally.firstT / BUCKET_MS);
  const b1 = Math.floor(tally.lastT / BUCKET_MS);
  const spanBuckets = b1 >= b0 ? b1 - b0 + 1 : 0;
  const index = byGroup(f, tally.groupList.length);
  const windows: IncidentWindow[] = [];
  const addWindows = (scope: IncidentWindow['scope'], kind: IncidentWindow['kind'], rootCause: RootCause, target: string, groups: FailureGroup[]): void => {
    const recs = recordsOf(groups, index);
    for (const r of hotRuns(bucketCounts(f, recs, b0, spanBuckets), b0)) {
      const inc: IncidentWindow = {
        scope, kind, rootCause, target, groups,
        start: r.from * BUCKET_MS, end: (r.to + 1) * BUCKET_MS, count: 0, affectedSenders: 0, affectedRecipients: 0,
      };
      measure(inc, f, recs);
      windows.push(inc);
    }
  };
  for (const s of all) if (s.count >= MIN_INCIDENT && s.rootCause !== 'unknown') addWindows('destination', s.kind, s.rootCause, s.target, s.groups);
  // server-wide: the outbound kinds, by root cause
  const outbound = all.filter((s) => s.kind !== 'rejected' && s.rootCause !== 'unknown');
  for (const cause of [...new Set(outbound.map((s) => s.rootCause))].sort()) {
    const members = outbound.filter((s) => s.rootCause === cause).flatMap((s) => s.groups);
    addWindows('server', 'mixed', cause, '(all destinations)', members);
  }
  // Against the series' own average rate: a window must hold three times what that rate explains.
  const rateOf = (inc: IncidentWindow): number => inc.groups.reduce((a, g) => a + g.count, 0) / spanBuckets;
  const significant = (inc: IncidentWindow): boolean => {
    const buckets = Math.floor(inc.end / BUCKET_MS) - Math.floor(inc.start / BUCKET_MS) + 1;
    return inc.count >= MIN_INCIDENT && inc.count >= 3 * rateOf(inc) * buckets + 10;
  };
  const dest = windows.filter((inc) => inc.scope === 'destination' && significant(inc));
  const out = [...dest];
  // A server-wide window is only news when no single destination explains most of it.
  for (const inc of windows) {
    if (inc.scope !== 'server' || !significant(inc)) continue;
    const explained = dest
      .filter((d) => d.rootCause === inc.rootCause && d.start <= inc.end && d.end >= inc.start)
      .reduce((a, d) => a + d.count, 0);
    if (explained < inc.count * 0.6) out.push(inc);
  }
  return out.sort((a, b) => b.count - a.count || a.start - b.start || a.target.localeCompare(b.target));
}
