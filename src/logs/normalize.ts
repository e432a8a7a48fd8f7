// Cache key for failure texts: the same reply with a different queue id, address or IP is the
// same failure. Kept apart from classify.ts so worker threads do not load the diagnosis engine.

const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const ENHANCED = /^[245]\.\d{1,3}\.\d{1,3}$/;

/**
 * Cache key for a failure text: `<…>` → `<>`, `[…]` → `[]`, and tokens of letters, digits, dots
 * and colons that contain a digit and are 7+ long (queue ids, IPs, times, host names with numbers)
 * → `#`; enhanced status codes such as 4.7.650 are kept because they decide the class.
 */
export function normalizeFailure(s: string): string {
  let out = '';
  let from = 0;
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 60 /* < */ || c === 91 /* [ */) {
      const close = s.indexOf(c === 60 ? '>' : ']', i + 1);
      if (close < 0) break;
      out += s.slice(from, i + 1);
      i = close;
      from = close;
      i++;
      continue;
    }
    if (isAlnum(c)) {
      let j = i;
      let digit = false;
      for (; j < n; j++) {
        const d = s.charCodeAt(j);
        if (d >= 48 && d <= 57) digit = true;
        else if (!(isAlnum(d) || d === 46 || d === 58)) break;
      }
      if (digit && j - i >= 7 && !ENHANCED.test(s.slice(i, j))) {
        out += s.slice(from, i) + '#';
        from = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  return from === 0 ? s : out + s.slice(from);
}
