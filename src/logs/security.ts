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
  return [...tally.authFails]
    .filter(([, s]) => s.count >= BRUTE_FORCE_MIN)
    .map(([ip, s]) => ({ ip, failures: s.count, firstSeen: iso(s.first), lastSeen: iso(s.last), usernames: s.users.slice(0, 20), example: s.example }))
    .sort((a, b) => b.failures - a.failures || a.ip.localeCompare(b.ip));
}

export function suspectAccounts(tally: Tally): SuspectAccount[] {
  const out: SuspectAccount[] = [];
  for (const [account, s] of tally.senderStats) {
    const perHour = new Map<number, number>();
    for (let i = 0; i < s.hours.length; i += 2) perHour.set(s.hours[i]!, (perHour.get(s.hours[i]!) ?? 0) + s.hours[i + 1]!);
    let peak = 0, peakHour = 0;
    for (const [h, n] of perHour) if (n > peak || (n === peak && h < peakHour)) { peak = n; peakHour = h; }
    const usual = perHour.size > 1 ? (s.rcpts - peak) / (perHour.size - 1) : 0;
    const base = {
      account, messages: s.msgs, recipients: s.rcpts, bounces: s.bounces, peakHourRecipients: peak,
      peakHourStart: iso(peakHour * 3_600_000), usualHourlyRecipients: Math.round(usual * 10) / 10,
    };
    if (peak >= BURST_MIN_RCPTS && peak >= BURST_FACTOR * Math.max(1, usual)) out.push({ ...base, signal: 'recipient_burst' });
    else if (s.bounces >= BOUNCE_MIN && s.bounces >= BOUNCE_RATIO * Math.max(s.rcpts, 1)) out.push({ ...base, signal: 'bounce_surge' });
  }
  return out.sort((a, b) => b.peakHourRecipients - a.peakHourRecipients || b.bounces - a.bounces || a.account.localeCompare(b.account));
}

export function relayAttempts(tally: Tally, series: Series[]): RelayAttempt[] {
  const relay = new Set<number>();
  for (const s of series) if (s.kind === 'rejected' && s.rootCause === 'relay_denied') for (const g of s.groups) relay.add(g.index);
  if (relay.size === 0) return [];
  const f = tally.failures;
  const byIp = new Map<number, { attempts: number; first: number; last: number }>();
  for (let i = 0; i < f.n; i++) {
    if (!relay.has(f.g[i]!) || f.c[i]! < 0) continue;
    const t = f.t[i]!;
    const st = byIp.get(f.c[i]!);
    if (st) { st.attempts++; if (t < st.first) st.first = t; if (t > st.last) st.last = t; }
    else byIp.set(f.c[i]!, { attempts: 1, first: t, last: t });
  }
  return [...byIp]
    .map(([id, st]) => ({ ip: tally.idList[id]!, attempts: st.attempts, firstSeen: iso(st.first), lastSeen: iso(st.last) }))
    .sort((a, b) => b.attempts - a.attempts || a.ip.localeCompare(b.ip));
}
