// Security signals from the same aggregates: password guessing (SASL failures per client IP),
// authenticated accounts that suddenly send to many recipients or collect many bounces, and
// relay attempts (rejects the diagnosis engine classifies as relay_denied), by client IP.
import type { Tally } from './tally.js';
import type { Series } from './incidents.js';
import { iso } from './time.js';

export const BRUTE_FORCE_MIN = 10;
const BURST_MIN_RCPTS = 100;
const BURST_FACTOR = 5;
const BOUNCE_MIN = 50;
const BOUNCE_RATIO = 0.3;

export interface BruteForce { ip: string; failures: number; firstSeen: string; lastSeen: string; usernames: string[]; example: string }
export interface SuspectAccount {
  account: string; signal: 'recipient_burst' | 'bounce_surge'; messages: number; recipients: number; bounces: number;
  peakHourRecipients: number; peakHourStart: string; usualHourlyRecipients: number;
}
export interface RelayAttempt { ip: string; attempts: number; firstSeen: string; lastSeen: string }

export function bruteForce(tally: Tally): BruteForce[] {
  const out: BruteForce[] = [];
  // forEach: no entry array per address (most addresses fail only a few times)
  tally.authFails.forEach((s, ip) => {
    if (s.count < BRUTE_FORCE_MIN) return;
    out.push({ ip, failures: s.count, firstSeen: iso(s.first), lastSeen: iso(s.last), usernames: s.users.slice(0, 20), example: s.example });
  });
  return out.sort((a, b) => b.failures - a.failures || a.ip.localeCompare(b.ip));
}

/** The hour with the most recipients (the earliest of equals) and how many distinct hours there are. */
interface HourPeak { hour: number; recipients: number; hours: number }

/**
 * From [hour, recipients, hour, recipients, …]. Pairs arrive per hour in rising order; when an hour
 * repeats or goes back (late lines, merged worker stats), they are summed per hour first.
 */
function peakHour(pairs: number[]): HourPeak {
  const perHour = risingHours(pairs) ? pairs : sumPerHour(pairs);
  let hour = 0, recipients = 0;
  for (let i = 0; i < perHour.length; i += 2) {
    const h = perHour[i]!, n = perHour[i + 1]!;
    if (n > recipients || (n === recipients && h < hour)) { recipients = n; hour = h; }
  }
  return { hour, recipients, hours: perHour.length / 2 };
}

function risingHours(pairs: number[]): boolean {
  for (let i = 2; i < pairs.length; i += 2) if (!(pairs[i]! > pairs[i - 2]!)) return false;
  return true;
}

/** One pair per hour, in first-seen order. */
function sumPerHour(pairs: number[]): number[] {
  const m = new Map<number, number>();
  for (let i = 0; i < pairs.length; i += 2) m.set(pairs[i]!, (m.get(pairs[i]!) ?? 0) + pairs[i + 1]!);
  return [...m].flat();
}

export function suspectAccounts(tally: Tally): SuspectAccount[] {
  const out: SuspectAccount[] = [];
  for (const [account, s] of tally.senderStats) {
    const peak = peakHour(s.hours);
    const usual = peak.hours > 1 ? (s.rcpts - peak.recipients) / (peak.hours - 1) : 0;
    const signal = peak.recipients >= BURST_MIN_RCPTS && peak.recipients >= BURST_FACTOR * Math.max(1, usual) ? 'recipient_burst'
      : s.bounces >= BOUNCE_MIN && s.bounces >= BOUNCE_RATIO * Math.max(s.rcpts, 1) ? 'bounce_surge'
      : null;
    if (!signal) continue;
    out.push({
      account, messages: s.msgs, recipients: s.rcpts, bounces: s.bounces, peakHourRecipients: peak.recipients,
      peakHourStart: iso(peak.hour * 3_600_000), usualHourlyRecipients: Math.round(usual * 10) / 10, signal,
    });
  }
  return out.sort((a, b) => b.peakHourRecipients - a.peakHourRecipients || b.bounces - a.bounces || a.account.localeCompare(b.account));
}

/** The first `max` items of the stable sort of `items` by `cmp`, without sorting all of them. */
function firstSorted<T>(items: T[], max: number, cmp: (a: T, b: T) => number): T[] {
  if (items.length <= max) return items.sort(cmp);
  if (max <= 0) return [];
  const best: T[] = [];
  for (const x of items) {
    // an item that ties with the last kept one comes later in the input, so it sorts after it
    if (best.length === max && cmp(x, best[max - 1]!) >= 0) continue;
    let lo = 0, hi = best.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cmp(x, best[mid]!) < 0) hi = mid; else lo = mid + 1; }
    best.splice(lo, 0, x);
    if (best.length > max) best.pop();
  }
  return best;
}

/** Relay attempts per client IP (or name), most first; only the first `max` get their times formatted. */
export function relayAttempts(tally: Tally, series: Series[], max = Infinity): RelayAttempt[] {
  const relay = new Uint8Array(tally.groupList.length);
  let any = false;
  for (const s of series) if (s.kind === 'rejected' && s.rootCause === 'relay_denied') for (const g of s.groups) { relay[g.index] = 1; any = true; }
  if (!any) return [];
  const f = tally.failures;
  // per client id (see Tally.clientId), in first-seen order (the order ties keep)
  const byClient = new Map<number, { attempts: number; first: number; last: number }>();
  for (let i = 0; i < f.n; i++) {
    const id = f.c[i]!;
    if (relay[f.g[i]!] !== 1 || id < 0) continue;
    const t = f.t[i]!;
    const st = byClient.get(id);
    if (st) { st.attempts++; if (t < st.first) st.first = t; if (t > st.last) st.last = t; }
    else byClient.set(id, { attempts: 1, first: t, last: t });
  }
  const all = [...byClient].map(([id, st]) => ({ ip: tally.clientName(id), ...st }));
  const top = firstSorted(all, max, (a, b) => b.attempts - a.attempts || a.ip.localeCompare(b.ip));
  return top.map((r) => ({ ip: r.ip, attempts: r.attempts, firstSeen: iso(r.first), lastSeen: iso(r.last) }));
}
