// Timestamp parsing for log lines. Times are kept as wall-clock epoch milliseconds (the zone the
// server logged in, offsets ignored) so per-hour traffic matches what the administrator sees.

/** Month index of the three-letter English abbreviation at i, -1 if none (no allocation). */
function monthAt(s: string, i: number): number {
  const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2);
  switch (a) {
    case 74: return b === 97 && c === 110 ? 0 : b === 117 ? (c === 110 ? 5 : c === 108 ? 6 : -1) : -1; // Jan Jun Jul
    case 70: return b === 101 && c === 98 ? 1 : -1; // Feb
    case 77: return b === 97 ? (c === 114 ? 2 : c === 121 ? 4 : -1) : -1; // Mar May
    case 65: return b === 112 && c === 114 ? 3 : b === 117 && c === 103 ? 7 : -1; // Apr Aug
    case 83: return b === 101 && c === 112 ? 8 : -1; // Sep
    case 79: return b === 99 && c === 116 ? 9 : -1; // Oct
    case 78: return b === 111 && c === 118 ? 10 : -1; // Nov
    case 68: return b === 101 && c === 99 ? 11 : -1; // Dec
    default: return -1;
  }
}

const d2 = (s: string, i: number): number => (s.charCodeAt(i) - 48) * 10 + (s.charCodeAt(i + 1) - 48);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Index after the run of digits that starts at j. */
function digitsEnd(s: string, j: number): number {
  while (isDigit(s.charCodeAt(j))) j++;
  return j;
}

/** Whole milliseconds of the fraction of a second whose digits are s[a, e) (the part after '.'). */
function millis(s: string, a: number, e: number): number {
  let ms = 0;
  for (let j = a, scale = 100; j < e; j++, scale /= 10) ms += (s.charCodeAt(j) - 48) * scale;
  return Math.floor(ms);
}

/**
 * Classic syslog stamps ("Nov 30 15:56:49") carry no year. The clock starts in `baseYear` and
 * moves to the next year when the month jumps back by more than six months (Dec → Jan).
 */
export class SyslogClock {
  /** the year and month of the last stamp read (read-only outside: a cache of results checks them) */
  year: number;
  lastMonth: number;
  private lastDayKey = -1;
  private lastDayBase = 0;
  /** index just past the stamp that `classic` parsed last */
  end = 0;

  /** `lastMonth` continues a clock that stopped at that month (a worker starting mid-file). */
  constructor(baseYear: number, lastMonth = -1) {
    this.year = baseYear;
    this.lastMonth = lastMonth;
  }

  /** Where the clock stands: the year and month of the last stamp read. */
  state(): { year: number; lastMonth: number } {
    return { year: this.year, lastMonth: this.lastMonth };
  }

  /**
   * Parses the stamp at `i`: "Mar  7 02:09:33" (day padded with a space, as syslogd writes it) or
   * "Mar 7 02:09:33" (unpadded, as some relays and rsyslog templates write it; pflogsumm reads
   * both), optionally with a fraction of a second. NaN when it is not one.
   */
  classic(s: string, i: number): number {
    const month = monthAt(s, i);
    if (month < 0 || s.charCodeAt(i + 3) !== 32) return NaN;
    let k = s.charCodeAt(i + 4) === 32 ? i + 5 : i + 4;
    let day = s.charCodeAt(k) - 48;
    if (!(day >= 0 && day <= 9)) return NaN;
    const c = s.charCodeAt(k + 1);
    if (c >= 48 && c <= 57) { day = day * 10 + (c - 48); k += 2; } else k++;
    if (!(day >= 1 && day <= 31) || s.charCodeAt(k) !== 32 || s.charCodeAt(k + 3) !== 58 || s.charCodeAt(k + 6) !== 58) return NaN;
    const h = d2(s, k + 1), m = d2(s, k + 4), sec = d2(s, k + 7);
    if (!(h >= 0 && h < 24 && m >= 0 && m < 60 && sec >= 0 && sec < 61)) return NaN;
    // journalctl -o short-precise adds microseconds: "Mar  7 02:09:33.123456"
    let end = k + 9;
    let ms = 0;
    if (s.charCodeAt(end) === 46 /* . */ && isDigit(s.charCodeAt(end + 1))) {
      const f = digitsEnd(s, end + 1);
      ms = millis(s, end + 1, f);
      end = f;
    }
    this.end = end;
    if (this.lastMonth >= 0 && month < this.lastMonth - 6) this.year++;
    else if (this.lastMonth >= 0 && month > this.lastMonth + 6) this.year--; // a stray older line
    this.lastMonth = month;
    const key = this.year * 400 + month * 32 + day;
    if (key !== this.lastDayKey) {
      this.lastDayKey = key;
      this.lastDayBase = Date.UTC(this.year, month, day);
    }
    return this.lastDayBase + (h * 3600 + m * 60 + sec) * 1000 + ms;
  }
}

/**
 * ISO-like stamps: "2024-08-29T01:08:59.764590+00:00" (RFC 3339, syslog) and "2022-06-29 16:04:05"
 * (Exim), both with optional fraction and zone, returns [epochMs, index after the stamp] packed as
 * epochMs, with the end index written to `isoEnd.value`.
 */
export const isoEnd = { value: 0 };
let isoDayKey = -1;
let isoDayBase = 0;

export function parseIso(s: string, i: number): number {
  if (!(isDigit(s.charCodeAt(i)) && s.charCodeAt(i + 4) === 45 && s.charCodeAt(i + 7) === 45)) return NaN;
  const sep = s.charCodeAt(i + 10);
  if ((sep !== 84 && sep !== 32) || s.charCodeAt(i + 13) !== 58 || s.charCodeAt(i + 16) !== 58) return NaN;
  const year = d2(s, i) * 100 + d2(s, i + 2);
  const month = d2(s, i + 5) - 1, day = d2(s, i + 8);
  const h = d2(s, i + 11), m = d2(s, i + 14), sec = d2(s, i + 17);
  if (!(year >= 1970 && month >= 0 && month < 12 && day >= 1 && day <= 31 && h < 24 && m < 60 && sec < 61)) return NaN;
  let j = i + 19;
  let ms = 0;
  if (s.charCodeAt(j) === 46) {
    const f = digitsEnd(s, j + 1);
    ms = millis(s, j + 1, f);
    j = f;
  }
  const z = s.charCodeAt(j);
  if (z === 90) j++;
  else if ((z === 43 || z === 45) && isDigit(s.charCodeAt(j + 1))) {
    j += 3;
    if (s.charCodeAt(j) === 58) j++;
    if (isDigit(s.charCodeAt(j))) j += 2;
  }
  isoEnd.value = j;
  const key = year * 400 + month * 32 + day;
  if (key !== isoDayKey) { isoDayKey = key; isoDayBase = Date.UTC(year, month, day); }
  return isoDayBase + (h * 3600 + m * 60 + sec) * 1000 + ms;
}

/** "10/20/2025 14:03:11" / "2025-10-20T14:03:11Z" / Date.parse fallback for CSV exports. */
export function parseLooseTime(v: string): number {
  const iso = parseIso(v, 0);
  if (!Number.isNaN(iso)) return iso;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?/i.exec(v);
  if (m) {
    let h = Number(m[4]);
    const pm = m[7]?.toUpperCase();
    if (pm === 'PM' && h < 12) h += 12;
    if (pm === 'AM' && h === 12) h = 0;
    return Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), h, Number(m[5]), Number(m[6] ?? 0));
  }
  const t = Date.parse(v);
  return Number.isNaN(t) ? NaN : t;
}

/** Wall-clock ISO form without a zone ("2026-11-30T10:42:00"). */
export const iso = (t: number): string => new Date(t).toISOString().slice(0, 19);
