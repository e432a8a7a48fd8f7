// Cache key for failure texts: the same reply with a different queue id, address or IP is the
// same failure. Kept apart from classify.ts so worker threads do not load the diagnosis engine.

/** Token characters: 1 digit, 2 letter, 3 '.' or ':' (inside tokens only), 0 anything else. */
const TOKEN = new Uint8Array(128);
for (let c = 48; c <= 57; c++) TOKEN[c] = 1;
for (let c = 65; c <= 90; c++) { TOKEN[c] = 2; TOKEN[c + 32] = 2; }
TOKEN[46] = 3;
TOKEN[58] = 3;

const tokenClass = (c: number): number => (c < 128 ? TOKEN[c]! : 0);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** s[i, j) is an enhanced status code such as 4.7.650 ([245].d{1,3}.d{1,3}). */
function isEnhanced(s: string, i: number, j: number): boolean {
  const c = s.charCodeAt(i);
  if ((c !== 50 && c !== 52 && c !== 53) || s.charCodeAt(i + 1) !== 46) return false;
  let k = i + 2;
  const a = k;
  while (k < j && isDigit(s.charCodeAt(k))) k++;
  if (k - a < 1 || k - a > 3 || s.charCodeAt(k) !== 46) return false;
  const b = ++k;
  while (k < j && isDigit(s.charCodeAt(k))) k++;
  return k === j && k - b >= 1 && k - b <= 3;
}

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

/** s[i, j) with every run of digits as one '#'. */
function digitsHashed(s: string, i: number, j: number): string {
  let out = '';
  let from = i;
  for (let k = i; k < j;) {
    if (!isDigit(s.charCodeAt(k))) { k++; continue; }
    out += s.slice(from, k) + '#';
    while (k < j && isDigit(s.charCodeAt(k))) k++;
    from = k;
  }
  return out + s.slice(from, j);
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
      from = close;
      i = close + 1;
      continue;
    }
    const k = tokenClass(c);
    if (k === 1 || k === 2) {
      let j = i;
      let digit = false;
      for (; j < n; j++) {
        const kd = tokenClass(s.charCodeAt(j));
        if (kd === 0) break;
        if (kd === 1) digit = true;
      }
      if (digit && j - i >= 7 && !isEnhanced(s, i, j)) {
        // a host name keeps its letters (they name the provider: mx01.mail.icloud.com is not
        // mx01.qq.com), only its numbers go; anything else (ids, IPs, times) goes whole
        out += s.slice(from, i) + (isHostName(s, i, j) ? digitsHashed(s, i, j) : '#');
        from = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  return from === 0 ? s : out + s.slice(from);
}
