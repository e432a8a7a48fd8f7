// Service hours as a pure function of the tenant's settings and a clock: is a person at work now,
// and if not, when is the next opening. Time zones through Intl (full ICU on Node 20).
import type { SupportSettings } from './settings.js';

export type ServiceHours = Pick<SupportSettings, 'timezone' | 'workdays' | 'start' | 'end' | 'holidays' | 'extraWorkdays'>;

export interface ServiceStatus {
  open: boolean;
  /** next opening (UTC instant) when closed; null when open or no opening within a year */
  nextOpen: Date | null;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, f);
  }
  return f;
}

function localParts(instant: Date, tz: string): LocalParts & { second: number } {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(instant)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour! % 24, minute: p.minute!, second: p.second! };
}

/** The UTC instant at which the wall clock in tz shows the given local time (DST-safe to the minute). */
export function zonedTime(local: LocalParts, tz: string): Date {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  let guess = wall;
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(guess), tz);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess += wall - shown;
  }
  return new Date(guess);
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const isoDate = (y: number, m: number, d: number): string => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

function isServiceDay(h: ServiceHours, y: number, m: number, d: number): boolean {
  const date = isoDate(y, m, d);
  if (h.holidays.includes(date)) return false;
  if (h.extraWorkdays.includes(date)) return true;
  const weekday = ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1; // 1 = Monday
  return h.workdays.includes(weekday);
}

export function serviceStatus(h: ServiceHours, now: Date): ServiceStatus {
  const local = localParts(now, h.timezone);
  const start = minutesOf(h.start);
  const end = minutesOf(h.end);
  const minute = local.hour * 60 + local.minute;
  if (isServiceDay(h, local.year, local.month, local.day) && minute >= start && minute < end) return { open: true, nextOpen: null };
  for (let offset = 0; offset <= 366; offset++) {
    if (offset === 0 && minute >= start) continue;
    const day = new Date(Date.UTC(local.year, local.month - 1, local.day + offset));
    const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
    if (!isServiceDay(h, y, m, d)) continue;
    return { open: false, nextOpen: zonedTime({ year: y, month: m, day: d, hour: Math.floor(start / 60), minute: start % 60 }, h.timezone) };
  }
  return { open: false, nextOpen: null };
}

/** "2026-12-01 09:00 (Asia/Shanghai)" — the opening as the user's support desk states it. */
export function formatLocal(instant: Date, tz: string): string {
  const p = localParts(instant, tz);
  return `${isoDate(p.year, p.month, p.day)} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')} (${tz})`;
}
