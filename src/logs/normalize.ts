// Cache key for failure texts: the same reply with a different queue id, address or IP is the
// same failure. Kept apart from classify.ts so worker threads do not load the diagnosis engine.

const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const ENHANCED = /^[245]\.\d{1,3}\.\d{1,3}$/;
const DIGITS = /\d+/g;

/** s[i, j) ends in a dot and 2+ letters (a top-level domain). */
function isHostName(s: string, i: number, j: number): boolean {
  const dot = s.lastIndexOf('.', j - 1);
  if (dot < i || j - dot < 3) return false;
  for (let k = dot + 1; k < j; k++) {
    const c = s.charCodeAt(k) | 32;
    if (c < 97 || c > 122) return false;
  }
  return true;
}

/**
 * Cache key for a failure text: `<…>` → `<>`, `[…]` → `[]`, and tokens of letters, digits, dots
 * and colons that contain a digit and are 7+ long (queue ids, IPs, times) → `#`; in host names
 * only the numbers become `#`; enhanced status codes such as 4.7.650 are kept because they decide the class.
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
        // a host name keeps its letters (they name the provider: mx01.mail.icloud.com is not
        // mx01.qq.com), only its numbers go; anything else (ids, IPs, times) goes whole
        out += s.slice(from, i) + (isHostName(s, i, j) ? s.slice(i, j).replace(DIGITS, '#') : '#');
        from = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  return from === 0 ? s : out + s.slice(from);
}
