// Incident windows: a root cause that rises for one destination (or across the whole server)
// above its own background rate. Works on the compact failure log kept by the Tally.
import type { FailureGroup, Tally } from './tally.js';
import type { RootCause } from '../core/taxonomy.js';

export const BUCKET_MS = 10 * 60_000;
const MIN_INCIDENT = 20;
const MIN_BUCKET = 5;

export interface IncidentWindow {
  scope: 'destination' | 'server';
  kind: FailureGroup['kind'] | 'mixed';
  rootCause: RootCause;
  target: string;
  groups: FailureGroup[];
  start: number;
  end: number;
  count: number;
  affectedSenders: number;
  affectedRecipients: number;
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

export function detectIncidents(tally: Tally): IncidentWindow[] {
  const f = tally.failures;
  if (f.n === 0) return [];
  const b0 = Math.floor(tally.firstT / BUCKET_MS);
  const b1 = Math.floor(tally.lastT / BUCKET_MS);
  const groups = tally.groupList;
  const eligible = new Set<number>();
  for (const g of groups) if (g.count >= MIN_INCIDENT && g.cls.rootCause !== 'unknown') eligible.add(g.index);
  if (eligible.size === 0) return [];

  // Bucket counts per destination group and per root cause (server-wide, outbound kinds only).
  const perGroup = new Map<number, Map<number, number>>();
  const perCause = new Map<string, Map<number, number>>();
  for (let i = 0; i < f.n; i++) {
    const gi = f.g[i]!;
    const g = groups[gi]!;
    const b = Math.floor(f.t[i]! / BUCKET_MS);
    if (eligible.has(gi)) {
      let m = perGroup.get(gi);
      if (!m) { m = new Map(); perGroup.set(gi, m); }
      m.set(b, (m.get(b) ?? 0) + 1);
    }
    if (g.kind !== 'rejected' && g.cls.rootCause !== 'unknown') {
      let m = perCause.get(g.cls.rootCause);
      if (!m) { m = new Map(); perCause.set(g.cls.rootCause, m); }
      m.set(b, (m.get(b) ?? 0) + 1);
    }
  }

  const out: IncidentWindow[] = [];
  const windows: { inc: IncidentWindow; match: (gi: number) => boolean }[] = [];
  for (const [gi, counts] of perGroup) {
    const g = groups[gi]!;
    for (const r of hotRuns(counts, b0, b1)) {
      const inc: IncidentWindow = {
        scope: 'destination', kind: g.kind, rootCause: g.cls.rootCause, target: g.target, groups: [g],
        start: r.from * BUCKET_MS, end: (r.to + 1) * BUCKET_MS, count: 0, affectedSenders: 0, affectedRecipients: 0,
      };
      windows.push({ inc, match: (x) => x === gi });
    }
  }
  for (const [cause, counts] of perCause) {
    for (const r of hotRuns(counts, b0, b1)) {
      const start = r.from * BUCKET_MS, end = (r.to + 1) * BUCKET_MS;
      const members = groups.filter((g) => g.kind !== 'rejected' && g.cls.rootCause === cause);
      const inc: IncidentWindow = {
        scope: 'server', kind: 'mixed', rootCause: cause as RootCause, target: '(all destinations)', groups: members,
        start, end, count: 0, affectedSenders: 0, affectedRecipients: 0,
      };
      const ids = new Set(members.map((g) => g.index));
      windows.push({ inc, match: (x) => ids.has(x) });
    }
  }
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
      if (f.s[i]! >= 0) senders.add(f.s[i]!);
      if (f.r[i]! >= 0) rcpts.add(f.r[i]!);
    }
    inc.start = first;
    inc.end = last;
    inc.affectedSenders = senders.size;
    inc.affectedRecipients = rcpts.size;
  }
  const dest = windows.filter((w) => w.inc.scope === 'destination' && w.inc.count >= MIN_INCIDENT).map((w) => w.inc);
  out.push(...dest);
  // A server-wide window is only news when no single destination explains most of it.
  for (const { inc } of windows) {
    if (inc.scope !== 'server' || inc.count < MIN_INCIDENT) continue;
    const explained = dest
      .filter((d) => d.rootCause === inc.rootCause && d.start <= inc.end && d.end >= inc.start)
      .reduce((a, d) => a + d.count, 0);
    if (explained < inc.count * 0.6) out.push(inc);
  }
  return out.sort((a, b) => b.count - a.count || a.start - b.start || a.target.localeCompare(b.target));
}
