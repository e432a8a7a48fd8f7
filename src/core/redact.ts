// Removes secrets from free text before it is stored, logged, exported or sent to an LLM.
//
// Every pattern starts at a literal keyword or behind a boundary look-behind and only repeats
// character classes that cannot overlap with what follows them, so a scan is linear in the input
// (no catastrophic backtracking, even on megabyte-long adversarial lines). Normal SMTP content
// (reply codes, enhanced status codes, queue ids, IPs, addresses, dates, message-ids) carries
// none of the trigger keywords and passes through unchanged.

export type SecretKind =
  | 'password'
  | 'auth_blob'
  | 'token'
  | 'verification_code'
  | 'private_key'
  | 'api_key';

export interface RedactResult {
  text: string;
  /** kinds of secret removed, each listed once */
  found: SecretKind[];
}

const mark = (kind: SecretKind): string => `[REDACTED:${kind}]`;

/** Cheap pre-check: text without any of these substrings cannot contain a secret we know. */
const TRIGGER =
  /pass|pwd|secret|auth|bearer|basic|token|key|eyJ|sk-|AKIA|ASIA|AIza|gh[pousr]_|github_pat_|xox[abprs]-|SG\.|:\/\/|code|otp|2fa|密码|口令|授权码|验证码|校验码|动态码|短信码/i;

// ---------------------------------------------------------------------------------------------
// PEM private keys: plain string search, the block may span many lines or be cut off.

function redactPrivateKeys(text: string, found: Set<SecretKind>): string {
  const BEGIN = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----/g;
  let out = '';
  let cursor = 0;
  for (let m = BEGIN.exec(text); m; m = BEGIN.exec(text)) {
    if (m.index < cursor) continue;
    const endTag = `-----END ${m[1] ?? ''}PRIVATE KEY-----`;
    const end = text.indexOf(endTag, m.index + m[0].length);
    out += text.slice(cursor, m.index) + mark('private_key');
    found.add('private_key');
    // A truncated key (no END line) is redacted to the end of the text.
    cursor = end < 0 ? text.length : end + endTag.length;
    BEGIN.lastIndex = cursor;
  }
  return cursor === 0 ? text : out + text.slice(cursor);
}

// ---------------------------------------------------------------------------------------------
// SMTP AUTH exchanges: `AUTH PLAIN <blob>`, `AUTH LOGIN` followed by base64 lines answering
// `334` challenges, on separate lines or collapsed onto one line.

const AUTH_CMD = /\bAUTH[ \t]+(PLAIN|LOGIN|XOAUTH2|OAUTHBEARER|CRAM-MD5|DIGEST-MD5|NTLM|GSSAPI)\b/gi;
const MECHANISMS = new Set(['PLAIN', 'LOGIN', 'XOAUTH2', 'OAUTHBEARER', 'CRAM-MD5', 'DIGEST-MD5', 'NTLM', 'GSSAPI']);
/** How far after an AUTH command client responses are looked for. */
const AUTH_WINDOW = 600;
const MAX_AUTH_RESPONSES = 4;
const SAME_LINE_TOKEN = /[ \t]+\S/y;

/** A base64 token as a client sends it: padded length, and not an ordinary word. */
function looksBase64(tok: string): boolean {
  if (tok.length < 4 || tok.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(tok)) return false;
  if (MECHANISMS.has(tok.toUpperCase())) return false;
  // Words ("Then", "MAIL") have no digits/padding and at most a leading capital.
  return /[0-9+/=]/.test(tok) || /[a-z][A-Z]|[A-Z]{2}[a-z]/.test(tok);
}

function redactAuthExchanges(text: string, found: Set<SecretKind>): string {
  let out = '';
  let cursor = 0;
  AUTH_CMD.lastIndex = 0;
  for (let m = AUTH_CMD.exec(text); m; m = AUTH_CMD.exec(text)) {
    const windowEnd = Math.min(text.length, m.index + m[0].length + AUTH_WINDOW);
    const tokenRe = /\S+/g;
    tokenRe.lastIndex = m.index + m[0].length;
    let first = true;
    let afterChallenge = false;
    let responses = 0;
    for (let t = tokenRe.exec(text); t && t.index < windowEnd; t = tokenRe.exec(text)) {
      const tok = t[0];
      const isFirst = first;
      first = false;
      if (/^[2-5]\d\d(?:[- ]|$)/.test(tok)) {
        // 334 is the server's challenge; any other reply ends the exchange.
        // A challenge sits on the 334 line itself (empty for PLAIN: "334 " then the answer).
        if (tok.startsWith('334')) {
          SAME_LINE_TOKEN.lastIndex = t.index + tok.length;
          afterChallenge = SAME_LINE_TOKEN.test(text);
          continue;
        }
        break;
      }
      if (afterChallenge) { afterChallenge = false; continue; } // the challenge text itself
      // A second mechanism name means this was a capability list (250-AUTH PLAIN LOGIN).
      if (MECHANISMS.has(tok.toUpperCase()) && isFirst) break;
      if (/^(?:[CS]:|<<<|>>>|<|>|C|S)$/.test(tok)) continue; // transcript direction markers
      if (looksBase64(tok) || (isFirst && tok.length >= 4 && /^[A-Za-z0-9+/]+={0,2}$/.test(tok) && /[0-9+/=]/.test(tok))) {
        out += text.slice(cursor, t.index) + mark('auth_blob');
        cursor = t.index + tok.length;
        found.add('auth_blob');
        if (++responses >= MAX_AUTH_RESPONSES) break;
        continue;
      }
      if (/^[A-Z]{4}$/.test(tok)) break; // next SMTP verb (MAIL, RCPT, QUIT ...)
      if (!isFirst) break;
    }
    AUTH_CMD.lastIndex = Math.max(AUTH_CMD.lastIndex, cursor);
  }
  return cursor === 0 ? text : out + text.slice(cursor);
}

// ---------------------------------------------------------------------------------------------
// Keyword and shape rules. `value` is the capture group that gets replaced; `accept` can veto
// a match (e.g. "password is incorrect" is not a password).

interface Rule {
  kind: SecretKind;
  re: RegExp;
  /** index of the capture group holding the secret */
  group: number;
  accept?: (secret: string, match: RegExpExecArray) => boolean;
}

const NOT_REDACTED = '(?!\\[REDACTED)';
/** SPF/DKIM/DMARC results read like "pass:none" or "dkim=pass:pass"; they are not secrets. */
const AUTH_RESULT = /^["']?(?:pass|fail|none|neutral|softfail|hardfail|temperror|permerror|policy|unknown)\b/i;
const hasDigitOrSymbol = (s: string): boolean => /[0-9!@#$%^&*_+=?~.-]/.test(s);

const RULES: Rule[] = ([
  // One-time codes first: "动态密码：123456" is a code, not the account password.
  {
    kind: 'verification_code',
    re: /(?:验证码|校验码|动态码|动态密码|短信码|确认码|verification code|security code|confirmation code|login code|one[- ]time (?:pass)?code|one[- ]time password|\bOTP|\b2FA code)(?:\s*(?:is|是|为|:|：|=))?[ \t]*(?:是|为|:|：)?[ \t]*(\d{4,8})(?!\d)/gi,
    group: 1,
  },
  {
    kind: 'verification_code',
    re: /(?<!\d)(\d{4,8})[ \t]*(?:is your|是您的|为您的|是你的)[^\n]{0,40}?(?:verification|security|login|one-time|验证码|校验码|动态码)/gi,
    group: 1,
  },
  // PEM blocks are handled separately; JWTs and well-known API key shapes.
  { kind: 'token', re: /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*)/g, group: 1 },
  {
    kind: 'api_key',
    re: /(?<![A-Za-z0-9_-])((?:sk|rk|pk)-(?:proj-|ant-|live-|test-)?[A-Za-z0-9_-]{20,}|sk_(?:live|test)_[A-Za-z0-9]{16,}|(?:AKIA|ASIA)[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abprs]-[A-Za-z0-9-]{10,}|SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,})(?![A-Za-z0-9_-])/g,
    group: 1,
  },
  // Authorization headers.
  { kind: 'token', re: /\bBearer[ \t]+([A-Za-z0-9._~+/-]{12,}=*)/g, group: 1, accept: (s) => /\d/.test(s) || s.length >= 24 },
  {
    kind: 'auth_blob',
    re: /\bBasic[ \t]+([A-Za-z0-9+/]{6,}={0,2})(?![A-Za-z0-9+/=])/g,
    group: 1,
    accept: (s, m) => /authorization\s*:\s*$/i.test(m.input.slice(Math.max(0, m.index - 40), m.index)) || decodesToCredentials(s),
  },
  // Credentials inside URLs: scheme://user:secret@host
  { kind: 'password', re: /:\/\/[^\s/:@]+:([^\s/@]+)@/g, group: 1 },
  // key = value / key: value, also JSON ("password": "x") and YAML.
  {
    kind: 'password',
    re: new RegExp(
      `(?<![A-Za-z0-9._=-])["']?(?:[A-Za-z]+[_-])?(?:password|passwd|passphrase|passcode|pass|pwd)["']?[ \\t]*[:=][ \\t]*${NOT_REDACTED}("[^"\\n]{1,200}"|'[^'\\n]{1,200}'|[^\\s"'<>]+)`,
      'gi',
    ),
    group: 1,
    accept: (s) => !AUTH_RESULT.test(s),
  },
  {
    kind: 'api_key',
    re: new RegExp(
      `(?<![A-Za-z0-9])["']?(?:[A-Za-z]+[_-])?(?:api[_-]?key|access[_-]?key(?:[_-]?id)?|secret[_-]?key)["']?[ \\t]*[:=][ \\t]*${NOT_REDACTED}("[^"\\n]{1,300}"|'[^'\\n]{1,300}'|[^\\s"'<>,;]+)`,
      'gi',
    ),
    group: 1,
  },
  {
    kind: 'token',
    re: new RegExp(
      `(?<![A-Za-z0-9])["']?(?:[A-Za-z]+[_-])?(?:token|secret)["']?[ \\t]*[:=][ \\t]*${NOT_REDACTED}("[^"\\n]{1,2000}"|'[^'\\n]{1,2000}'|[^\\s"'<>,;]+)`,
      'gi',
    ),
    group: 1,
    accept: (s) => s.replace(/["']/g, '').length >= 6,
  },
  // "my password is hunter2" — only when the value does not read like a word ("is incorrect").
  {
    kind: 'password',
    re: new RegExp(`(?<![A-Za-z])(?:password|passwd|app password|passcode)[ \\t]+(?:is|was)[ \\t]+${NOT_REDACTED}([^\\s"'<>]+)`, 'gi'),
    group: 1,
    accept: hasDigitOrSymbol,
  },
  // Chinese: 密码：xxx / 密码是xxx / 授权码为xxx. A password is ASCII; "密码是错的" is not one.
  {
    kind: 'password',
    re: new RegExp(
      `(?:客户端专用密码|独立密码|应用专用密码|密码|口令|授权码)[ \\t]*(?:是|为|:|：|=)[ \\t]*(?:是|为|:|：)?[ \\t]*${NOT_REDACTED}([!-~]+)`,
      'g',
    ),
    group: 1,
  },
] satisfies Rule[]).map((r) => ({ ...r, re: new RegExp(r.re.source, r.re.flags + 'd') })); // 'd': capture spans

function decodesToCredentials(b64: string): boolean {
  const decoded = Buffer.from(b64, 'base64').toString('utf8');
  return /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(decoded);
}

function applyRule(text: string, rule: Rule, found: Set<SecretKind>): string {
  const re = rule.re;
  re.lastIndex = 0;
  let out = '';
  let cursor = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const secret = m[rule.group];
    const span = m.indices?.[rule.group];
    if (secret === undefined || !span || (rule.accept && !rule.accept(secret, m))) continue;
    // Quoted values keep their quotes.
    const quoted = secret.length >= 2 && /^(["']).*\1$/s.test(secret);
    const start = span[0] + (quoted ? 1 : 0);
    const end = span[1] - (quoted ? 1 : 0);
    out += text.slice(cursor, start) + mark(rule.kind);
    cursor = end;
    found.add(rule.kind);
  }
  return cursor === 0 ? text : out + text.slice(cursor);
}

export function redact(text: string): RedactResult {
  if (!TRIGGER.test(text)) return { text, found: [] };
  const found = new Set<SecretKind>();
  let out = redactPrivateKeys(text, found);
  out = redactAuthExchanges(out, found);
  for (const rule of RULES) out = applyRule(out, rule, found);
  return { text: out, found: [...found] };
}
