// Security signals from the same aggregates: password guessing (SASL failures per client IP),
// accounts that suddenly send to many recipients or collect many bounces, relay attempts.
import type { Tally } from './tally.js';
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
export interface RelayAttempt { ip: string; attempts: number; firstSeen: string; lastSeen: string; example: string }

export function bruteForce(tally: Tally): BruteForce[] {
  return [...tally.authFails]
    .filter(([, s]) => s.count >= BRUTE_FORCE_MIN)
    .map(([ip, s]) => ({ ip, failures: s.count, firstSeen: iso(s.first), lastSeen: iso(s.last), usernames: [...s.users].slice(0, 20), example: s.example }))
    .sort((a, b) => b.failures - a.failures || a.ip.localeCompare(b.ip));
}

export function suspectAccounts(tally: Tally): SuspectAccount[] {
  const out: SuspectAccount[] = [];
  for (const [account, s] of tally.senderStats) {
    const otherHours = Math.max(1, s.hours - 1);
    const usual = (s.rcpts - s.maxHourRcpts) / otherHours;
    const base = {
      account, messages: s.msgs, recipients: s.rcpts, bounces: s.bounces, peakHourRecipients: s.maxHourRcpts,
      peakHourStart: iso(s.maxHour * 3_600_000), usualHourlyRecipients: Math.round(usual * 10) / 10,
    };
    if (s.maxHourRcpts >= BURST_MIN_RCPTS && s.maxHourRcpts >= BURST_FACTOR * Math.max(1, usual)) {
      out.push({ ...base, signal: 'recipient_burst' });
    } else if (s.bounces >= BOUNCE_MIN && s.bounces >= BOUNCE_RATIO * Math.max(s.rcpts, 1)) {
      out.push({ ...base, signal: 'bounce_surge' });
    }
  }
  return out.sort((a, b) => b.peakHourRecipients - a.peakHourRecipients || b.bounces - a.bounces || a.account.localeCompare(b.account));
}

export function relayAttempts(tally: Tally): RelayAttempt[] {
  return [...tally.relayAttempts]
    .map(([ip, s]) => ({ ip, attempts: s.count, firstSeen: iso(s.first), lastSeen: iso(s.last), example: s.example }))
    .sort((a, b) => b.attempts - a.attempts || a.ip.localeCompare(b.ip));
}
