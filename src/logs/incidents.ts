// Incident windows: a root cause that rises for one destination (or across the whole server)
// above its own background rate. Works on the compact failure log kept by the Tally, after every
// failure group has been classified.
import { NONE, type FailureGroup, type FailureKind, type Tally } from './tally.js';
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

function median(a: number[]): number {
  if (a.length === 0) return 0;
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}

/** Runs of "hot" buckets (count ≥ threshold), gaps of one quiet bucket allowed. */
function hotRuns(counts: Map<number, number>, b0: number, b1: number): { from: number; to: number }[] {
  const series: number[] = [];
  for (let b = b0; b <= b1; b++) series.push(counts.get(b) ?? 0);
  const threshold = Math.max(MIN_BUCKET, 3 * median(series) + 2);
  const runs: { from: number; to: number }[] = [];
  let cur: { from: number; to: number } | null = null;
  for (let b = b0; b <= b1; b++) {
    if ((counts.get(b) ?? 0) >= threshold) {
      if (cur && b - cur.to <= 2) cur.to = b;
      else { cur = { from: b, to: b }; runs.push(cur); }
    }
  }
  return runs;
}

export function detectIncidents(tally: Tally, all: Series[]): IncidentWindow[] {
  const f = tally.failures;
  if (f.n === 0) return [];
  const b0 = Math.floor(tally.firstT / BUCKET_MS);
  const b1 = Math.floor(tally.lastT / BUCKET_MS);
  // series id per group; server-wide id per group (outbound kinds, by root cause)
  const seriesOfGroup = new Int32Array(tally.groupList.length).fill(-1);
  const causeOfGroup = new Int32Array(tally.groupList.length).fill(-1);
  const eligible = all.filter((s) => s.count >= MIN_INCIDENT && s.rootCause !== 'unknown');
  eligible.forEach((s, i) => { for (const g of s.groups) seriesOfGroup[g.index] = i; });
  const causes = [...new Set(all.filter((s) => s.kind !== 'rejected' && s.rootCause !== 'unknown').map((s) => s.rootCause))].sort();
  for (const s of all) {
    if (s.kind === 'rejected') continue;
    const ci = causes.indexOf(s.rootCause);
    if (ci >= 0) for (const g of s.groups) causeOfGroup[g.index] = ci;
  }
  const perSeries = eligible.map(() => new Map<number, number>());
  const perCause = causes.map(() => new Map<number, number>());
  for (let i = 0; i < f.n; i++) {
    const gi = f.g[i]!;
    const b = Math.floor(f.t[i]! / BUCKET_MS);
    const si = seriesOfGroup[gi]!;
    if (si >= 0) { const m = perSeries[si]!; m.set(b, (m.get(b) ?? 0) + 1); }
    const ci = causeOfGroup[gi]!;
    if (ci >= 0) { const m = perCause[ci]!; m.set(b, (m.get(b) ?? 0) + 1); }
  }

  const windows: { inc: IncidentWindow; match: (gi: number) => boolean }[] = [];
  eligible.forEach((s, si) => {
    for (const r of hotRuns(perSeries[si]!, b0, b1)) {
      windows.push({
        inc: {
          scope: 'destination', kind: s.kind, rootCause: s.rootCause, target: s.target, groups: s.groups,
          start: r.from * BUCKET_MS, end: (r.to + 1) * BUCKET_MS, count: 0, affectedSenders: 0, affectedRecipients: 0,
        },
        match: (gi) => seriesOfGroup[gi] === si,
      });
    }
  });
  causes.forEach((cause, ci) => {
    for (const r of hotRuns(perCause[ci]!, b0, b1)) {
      const members = all.filter((s) => s.kind !== 'rejected' && s.rootCause === cause).flatMap((s) => s.groups);
      windows.push({
        inc: {
          scope: 'server', kind: 'mixed', rootCause: cause, target: '(all destinations)', groups: members,
          start: r.from * BUCKET_MS, end: (r.to + 1) * BUCKET_MS, count: 0, affectedSenders: 0, affectedRecipients: 0,
        },
        match: (gi) => causeOfGroup[gi] === ci,
      });
    }
  });
  // Exact counts and distinct senders/recipients inside each window.
  for (const { inc, match } of windows) {
    const senders = new Set<number>();
    const rcpts = new Set<number>();
    let first = Infinity, last = -Infinity;
    for (let i = 0; i < f.n; i++) {
      const t = f.t[i]!;
      if (t < inc.start || t >= inc.end || !match(f.g[i]!)) continue;
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
  // Against the series' own average rate: a window must hold three times what that rate explains.
  const spanBuckets = b1 - b0 + 1;
  const rateOf = (inc: IncidentWindow): number => inc.groups.reduce((a, g) => a + g.count, 0) / spanBuckets;
  const significant = (inc: IncidentWindow): boolean => {
    const buckets = Math.floor(inc.end / BUCKET_MS) - Math.floor(inc.start / BUCKET_MS) + 1;
    return inc.count >= MIN_INCIDENT && inc.count >= 3 * rateOf(inc) * buckets + 10;
  };
  const dest = windows.filter((w) => w.inc.scope === 'destination' && significant(w.inc)).map((w) => w.inc);
  const out = [...dest];
  // A server-wide window is only news when no single destination explains most of it.
  for (const { inc } of windows) {
    if (inc.scope !== 'server' || !significant(inc)) continue;
    const explained = dest
      .filter((d) => d.rootCause === inc.rootCause && d.start <= inc.end && d.end >= inc.start)
      .reduce((a, d) => a + d.count, 0);
    if (explained < inc.count * 0.6) out.push(inc);
  }
  return out.sort((a, b) => b.count - a.count || a.start - b.start || a.target.localeCompare(b.target));
}
