// Reversible masking of e-mail addresses and IP addresses before text goes to a model: each distinct
// value becomes a stable placeholder (<EMAIL_1>, <IP_1> ...), numbered in order of first appearance,
// so the same input always masks to the same text (and hits the same cache entry). The reply is
// unmasked with the mapping of the call that sent it; nothing identifying is stored in the cache.
//
// Scanning is linear: candidates only start at a boundary and are bounded in length, and the IP
// check itself is done by node:net, not by a regular expression.
import { isIPv4, isIPv6 } from 'node:net';

export interface Masker {
  mask(text: string): string;
  /** Replaces the placeholders this masker issued with the original values. */
  unmask(text: string): string;
  /** placeholder → original */
  readonly mapping: ReadonlyMap<string, string>;
}

// ASCII only on purpose: Chinese text has no spaces ("邮箱是zhang@example.com发送失败").
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,10}[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;
// A run of characters an IP (with optional :port) can consist of; "IPv6:" as in Received headers.
const IP_CANDIDATE = /(?:(?<=IPv6:)|(?<![0-9A-Za-z:.]))[0-9A-Fa-f:.]{2,60}(?![0-9A-Za-z:.])/g;
const PLACEHOLDER = /<(EMAIL|IP)_(\d{1,6})>/g;

/** The IP inside a candidate run: drops a trailing sentence dot and an IPv4 ":port". */
function ipIn(candidate: string): string | null {
  const trimmed = candidate.replace(/[.:]+$/, '');
  if (isIPv4(trimmed)) return trimmed;
  const withPort = /^(.+):\d{1,5}$/.exec(trimmed);
  if (withPort && isIPv4(withPort[1]!)) return withPort[1]!;
  // Needs a hex digit: "::" alone or "12:34:56"-like times are not addresses worth masking.
  if (isIPv6(trimmed) && /[0-9A-Fa-f]/.test(trimmed)) return trimmed;
  return null;
}

export function createMasker(enabled = true): Masker {
  const byValue = new Map<string, string>();
  const byPlaceholder = new Map<string, string>();
  const counters = { EMAIL: 0, IP: 0 };
  const placeholderFor = (kind: 'EMAIL' | 'IP', value: string): string => {
    const key = `${kind}:${value.toLowerCase()}`;
    let ph = byValue.get(key);
    if (!ph) {
      ph = `<${kind}_${++counters[kind]}>`;
      byValue.set(key, ph);
      byPlaceholder.set(ph, value);
    }
    return ph;
  };
  return {
    mapping: byPlaceholder,
    mask(text) {
      if (!enabled) return text;
      const noEmails = text.replace(EMAIL, (m) => placeholderFor('EMAIL', m));
      return noEmails.replace(IP_CANDIDATE, (m) => {
        const ip = ipIn(m);
        return ip ? m.replace(ip, placeholderFor('IP', ip)) : m;
      });
    },
    unmask(text) {
      if (byPlaceholder.size === 0) return text;
      return text.replace(PLACEHOLDER, (m) => byPlaceholder.get(m) ?? m);
    },
  };
}

/** Applies fn to every string inside a JSON-like value (model replies are objects of strings). */
export function mapStrings<T>(value: T, fn: (s: string) => string): T {
  if (typeof value === 'string') return fn(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)])) as T;
  }
  return value;
}
