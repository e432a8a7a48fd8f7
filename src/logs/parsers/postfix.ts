// Postfix: one state record per queue id from smtpd/pickup (received) through cleanup and qmgr
// (sender, size) to smtp/lmtp/local/virtual (one status line per recipient and attempt), evicted
// at "removed". Counting follows pflogsumm's definitions so totals can be compared with it.
import type { Tally, RejectKind, AccountRef } from '../tally.js';
import { DeliveryRec } from '../tally.js';
import { clientDomain, own, rejectClient } from '../addr.js';
import type { SyslogHeader } from './syslog.js';
import type { Shard } from '../shard.js';
import { QueueTable } from '../qtable.js';

/** State of one open message (shared with the byte-level fast path, postfix-fast.ts). */
class Msg {
  /** insertion order in the queue table */
  seq = 0;
  received = false;
  sized = false;
  size = -1;
  sender: string | null = null;
  client = '';
  account: AccountRef | null = null;
  deferred = false;
  loopback = false;
}

const MAX_OPEN = 400_000;

const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** Character classes for the queue-id scan: 0 not alphanumeric, 1 digit, 2 A–F, 3 other letter. */
const QID_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) QID_CLASS[c] = c >= 48 && c <= 57 ? 1 : c >= 65 && c <= 70 ? 2 : isAlnum(c) ? 3 : 0;

/** Non-queue-id messages that carry nothing we count but are known, normal Postfix output. */
const KNOWN_PREFIXES = [
  'connect from ', 'disconnect from ', 'lost connection ', 'timeout after ', 'warning: ', 'statistics: ',
  'Anonymous TLS', 'Trusted TLS', 'Untrusted TLS', 'Verified TLS', 'SSL_accept error', 'SSL_connect error',
  'too many errors', 'improper command pipelining', 'setting up TLS', 'daemon started', 'terminating on signal',
  'reload', 'refreshing', 'fatal: ', 'error: ', 'panic: ', 'PASS ', 'PREGREET ', 'DNSBL ', 'HANGUP ',
  'CONNECT ', 'WHITELISTED ', 'DISCONNECT ', 'COMMAND ', 'BARE NEWLINE', 'NON-SMTP COMMAND', 'BLACKLISTED ',
  'DENYLISTED ', 'ALLOWLISTED ', 'PREGREET', 'cache ', 'starting the Postfix', 'stopping the Postfix',
  'refreshing the Postfix', 'Deleted: ', 'Requeued: ', 'Placed on hold: ', 'Released from hold: ',
  'host ', 'Host offered STARTTLS', 'server certificate', 'certificate verification', 'mapping DSN',
  'table ', 'dict_', 'address ', 'addr ', 'NOQUEUE: ', 'TLS ', 'tls', 'Trusted', 'Untrusted',
  'non-SMTP command', 'postfix/', 'daemon ', 'conversation with ', 'enabling PIX', 'WHITELIST VETO ',
  'ALLOWLIST VETO ', 'bare <LF> received', 'discarding EHLO keywords', 'proxy-accept: ',
];

/** KNOWN_PREFIXES by their first character: most lines try one or two prefixes instead of 70. */
const KNOWN_BY_FIRST: (string[] | undefined)[] = [];
for (const p of KNOWN_PREFIXES) (KNOWN_BY_FIRST[p.charCodeAt(0)] ??= []).push(p);

/** A line a mid-file worker left for the thread that read the part before it (see analyze.ts). */
export interface DeferredLine { at: number; text: string }

export class PostfixParser {
  readonly open = new QueueTable<Msg>();
  /**
   * Set in a worker that starts mid-file: queue ids whose first line here is not the message's
   * first line (the message began in the part before). Their lines are deferred, to be replayed
   * by the thread that holds that part's state, so counting is exactly as in one pass.
   */
  orphans: Set<string> | null = null;
  readonly deferred: DeferredLine[] = [];
  deferredBytes = 0;
  /** while replaying deferred lines: their timestamps were counted where they were read */
  replaying = false;
  /** queue ids announced by a content filter hop ("queued as X") before X itself was seen */
  private readonly reinjected = new Set<string>();
  private readonly rec = new DeliveryRec();
  /** start of the current line, for evidence */
  private a = 0;
  constructor(private readonly tally: Tally, private readonly shard: Shard) {}

  /** `h` is the parsed syslog envelope of a line whose program starts with "postfix". */
  line(s: string, a: number, b: number, h: SyslogHeader): void {
    const tally = this.tally;
    this.a = a;
    // daemon = last path component of the tag: postfix/smtpd, postfix/submission/smtpd, postfix-x/qmgr
    const ds = h.slash > h.prog ? h.slash + 1 : h.prog;
    const daemon = daemonOf(s, ds, h.progEnd);
    const m = h.msg;
    const t = h.t;
    // queue id?
    let j = m;
    let digit = false;
    let hexUpper = true;
    for (; j < b; j++) {
      const c = s.charCodeAt(j);
      const k = c < 128 ? QID_CLASS[c]! : 0;
      if (k === 0) break;
      if (k === 1) digit = true;
      else if (k === 3) hexUpper = false;
    }
    const idLen = j - m;
    if (idLen >= 5 && idLen <= 20 && s.charCodeAt(j) === 58 && s.charCodeAt(j + 1) === 32) {
      if (idLen === 7 && sameAt(s, m, 'NOQUEUE')) {
        if (this.shard.ownsLine()) { tally.seen(t); this.noQueue(s, j + 2, b, t); }
        return;
      }
      if (digit || (hexUpper && idLen >= 6)) {
        if (this.shard.ownsKey(s, m, j)) {
          if (!this.replaying) tally.seen(t);
          const qid = s.slice(m, j);
          if (this.orphans && this.deferOrphan(s, qid, j + 2, b, daemon)) return;
          this.queued(s, qid, j + 2, b, t, daemon);
        }
        return;
      }
    }
    if (!this.shard.ownsLine()) return;
    tally.seen(t);
    if (daemon === 'smtpd' || daemon === 'postscreen') {
      if (sameAt(s, m, 'warning: ') && this.saslFailure(s, m + 9, b, t)) { tally.parsedLines++; return; }
    } else if (daemon === 'smtp' || daemon === 'lmtp') {
      if (sameAt(s, m, 'connect to ')) {
        const br = find(s, '[', m + 11, b);
        const host = br > 0 && br < b ? s.slice(m + 11, br) : s.slice(m + 11, b);
        tally.connectionFailure(t, host, s.slice(m, b), s.slice(this.a, b));
        tally.parsedLines++;
        return;
      }
    }
    const known = KNOWN_BY_FIRST[s.charCodeAt(m) & 127];
    if (known) for (const p of known) if (sameAt(s, m, p)) { tally.parsedLines++; return; }
    tally.unparsedLine('postfix/' + s.slice(ds, h.progEnd), s.slice(a, b));
  }

  /** Makes this parser a mid-file worker's (see `orphans`). */
  deferOrphans(): void {
    this.orphans = new Set();
  }

  private deferOrphan(s: string, qid: string, p: number, b: number, daemon: string): boolean {
    if (this.open.keyOf(qid) && this.open.get()) return false;
    const orphans = this.orphans!;
    if (!orphans.has(qid)) {
      // a message's first line: smtpd's client= or pickup's (any later line needs earlier state)
      if ((daemon === 'smtpd' && sameAt(s, p, 'client=')) || daemon === 'pickup') return false;
      orphans.add(own(qid));
    }
    this.deferred.push({ at: this.tally.at, text: own(s.slice(this.a, b)) });
    this.deferredBytes += b - this.a;
    return true;
  }

  private msgFor(qid: string): Msg {
    this.open.keyOf(qid);
    return this.openMsg();
  }

  /** The message under the queue table's current key, created if new. */
  openMsg(): Msg {
    let st = this.open.get();
    if (!st) {
      st = new Msg();
      // bounded state: the oldest tenth of the open messages go (their final lines never came)
      if (this.open.size >= MAX_OPEN) this.tally.evicted += this.open.evictOldest(MAX_OPEN / 10);
      this.open.add(st);
    }
    return st;
  }

  private queued(s: string, qid: string, p: number, b: number, t: number, daemon: string): void {
    const tally = this.tally;
    tally.parsedLines++;
    const c = s.charCodeAt(p);
    // to=<...>, relay=..., delay=..., dsn=..., status=...  (any delivery agent, also qmgr)
    if (c === 116 /* t */ && sameAt(s, p, 'to=<')) { this.status(s, qid, p + 4, b, t); return; }
    if (daemon === 'qmgr') {
      if (c === 102 /* f */ && sameAt(s, p, 'from=<')) { this.qmgrFrom(s, qid, p + 6, b, t); return; }
      if (c === 114 && sameAt(s, p, 'removed')) { if (this.open.keyOf(qid)) this.open.delete(); return; }
      return;
    }
    if (daemon === 'smtpd') {
      if (c === 99 /* c */ && sameAt(s, p, 'client=')) { this.client(s, qid, p + 7, b, t); return; }
      const k = rejectKind(s, p);
      if (k) { this.smtpdReject(s, k, p, b, t); return; }
      return;
    }
    if (daemon === 'cleanup') {
      const k = cleanupRejectKind(s, p, b);
      if (k) this.cleanupReject(s, k.kind, k.at, b, t);
      return;
    }
    if (daemon === 'pickup') {
      if (sameAt(s, p, 'uid=') || sameAt(s, p, 'sender=')) {
        const st = this.msgFor(qid);
        st.received = true;
        tally.receivedMsg(t);
      }
      return;
    }
  }

  private client(s: string, qid: string, p: number, b: number, t: number): void {
    let e = find(s, ',', p, b);
    if (e < 0 || e > b) e = b;
    const client = own(s.slice(p, e));
    const st = this.msgFor(qid);
    st.client = client;
    const loop = client.endsWith('[127.0.0.1]') || client.endsWith('[::1]');
    st.loopback = loop;
    if (loop && this.reinjected.delete(qid)) { this.tally.filterHops++; return; }
    if (!st.received) {
      st.received = true;
      this.tally.receivedMsg(t);
    }
    const u = e < b ? find(s, 'sasl_username=', e, b) : -1;
    if (u > 0) {
      let ue = find(s, ',', u, b);
      if (ue < 0) ue = b;
      st.account = this.tally.accountRef(s.slice(u + 14, ue));
    }
  }

  private qmgrFrom(s: string, qid: string, p: number, b: number, t: number): void {
    const gt = find(s, '>', p, b);
    if (gt < 0 || gt > b) return;
    const st = this.msgFor(qid);
    if (sameAt(s, gt + 1, ', size=')) {
      if (st.sized) return; // logged again on every retry from the deferred queue
      const size = readInt(s, gt + 8);
      const sender = own(s.slice(p, gt));
      st.sized = true;
      st.size = size;
      st.sender = sender;
      if (st.received) {
        const nr = find(s, 'nrcpt=', gt + 8, b);
        const nrcpt = nr > 0 && nr < b ? readInt(s, nr + 6) : 1;
        const client = st.client;
        this.tally.receivedSender(t, sender, size, () => clientDomain(client), nrcpt, st.account);
      }
      return;
    }
    if (sameAt(s, gt + 1, ', status=expired')) {
      const r = this.rec;
      r.t = t; r.qid = qid; r.sender = s.slice(p, gt); r.recipient = ''; r.status = 'expired'; r.relay = '';
      r.delay = NaN; r.dsn = ''; r.reason = s.slice(gt + 10, b); r.size = st.size; r.firstDeferral = false;
      r.line = s.slice(this.a, b);
      this.tally.delivery(r);
    }
  }

  private status(s: string, qid: string, p: number, b: number, t: number): void {
    const gt = find(s, '>', p, b);
    if (gt < 0 || gt > b) return;
    const r = this.rec;
    r.recipient = s.slice(p, gt);
    let q = gt + 1;
    if (sameAt(s, q, ', orig_to=<')) { const g2 = find(s, '>', q + 11, b); if (g2 > 0 && g2 < b) q = g2 + 1; }
    if (!sameAt(s, q, ', relay=')) return;
    let re = find(s, ', ', q + 8, b);
    if (re < 0 || re > b) return;
    r.relay = s.slice(q + 8, re);
    q = re + 2;
    if (sameAt(s, q, 'conn_use=')) { re = find(s, ', ', q, b); if (re < 0) return; q = re + 2; }
    r.delay = sameAt(s, q, 'delay=') ? readFloat(s, q + 6) : NaN;
    const st = find(s, 'status=', q, b);
    if (st < 0 || st > b) return;
    const dsnAt = find(s, 'dsn=', q, st);
    const dsnEnd = dsnAt > q ? find(s, ',', dsnAt, b) : -1;
    r.dsn = dsnEnd > 0 ? s.slice(dsnAt + 4, dsnEnd) : '';
    let se = find(s, ' ', st + 7, b);
    if (se < 0 || se > b) se = b;
    const c = s.charCodeAt(st + 7);
    const state = this.open.keyOf(qid) ? this.open.get() : undefined;
    r.t = t; r.qid = qid; r.sender = state ? state.sender : null; r.size = state ? state.size : -1;
    r.firstDeferral = false;
    r.line = '';
    if (c === 115 /* s */ && se - st === 11) { // sent
      r.status = 'sent';
      r.reason = '';
      if (sameAt(s, se + 1, '(forwarded as ')) r.status = 'forwarded';
      else if (isLoopbackRelay(r.relay)) {
        const qa = find(s, 'queued as ', se, b);
        if (qa > 0 && qa < b) { this.filterHop(s, qa + 10, b); return; }
      }
    } else if (c === 100 /* d */ && sameAt(s, st + 7, 'deferred')) {
      r.status = 'deferred';
      if (state) { r.firstDeferral = !state.deferred; state.deferred = true; } else r.firstDeferral = true;
      r.reason = reasonText(s, se, b);
      r.line = s.slice(this.a, b);
    } else if (c === 98 /* b */ && sameAt(s, st + 7, 'bounced')) {
      r.status = 'bounced';
      r.reason = reasonText(s, se, b);
      r.line = s.slice(this.a, b);
    } else if (c === 101 /* e */ && sameAt(s, st + 7, 'expired')) {
      r.status = 'expired';
      r.reason = reasonText(s, se, b);
      r.line = s.slice(this.a, b);
    } else return; // deliverable/undeliverable (address probes) change nothing
    this.tally.delivery(r);
  }

  /** A sent line to a local content filter: the message comes back under a new queue id. */
  private filterHop(s: string, p: number, b: number): void {
    let e = p;
    while (e < b && isAlnum(s.charCodeAt(e))) e++;
    const next = s.slice(p, e);
    const st = this.open.keyOf(next) ? this.open.get() : undefined;
    if (st && st.received && st.loopback) {
      this.tally.undoReceived(st.sized ? st.size : 0, st.sized);
      st.received = false;
    } else this.reinjected.add(next);
    this.tally.filterHops++;
    if (this.reinjected.size > 10_000) this.reinjected.clear();
  }

  private saslFailure(s: string, p: number, b: number, t: number): boolean {
    const au = find(s, ' authentication failed', p, b);
    if (au < 0 || au > b || find(s, 'SASL ', p, b) > au) return false;
    const br = find(s, '[', p, b);
    const be = br < 0 ? -1 : find(s, ']', br, b);
    const ip = br > 0 && be > br && be < au ? s.slice(br + 1, be) : 'unknown';
    const u = find(s, 'sasl_username=', au, b);
    const user = u > 0 && u < b ? s.slice(u + 14, b) : null;
    this.tally.authFailure(t, ip, user, s.slice(this.a, b));
    return true;
  }

  private noQueue(s: string, p: number, b: number, t: number): void {
    const k = rejectKind(s, p);
    if (k) this.smtpdReject(s, k, p, b, t);
    this.tally.parsedLines++;
  }

  /** "reject: RCPT from host[ip]: 554 5.7.1 <x>: Relay access denied; from=<s> to=<r> proto=..." */
  private smtpdReject(s: string, kind: RejectKind, p: number, b: number, t: number): void {
    const fromAt = find(s, ' from ', p, b);
    let client = '';
    let textStart = p;
    if (fromAt > 0 && fromAt < b) {
      const ce = find(s, ': ', fromAt + 6, b);
      if (ce > 0 && ce < b) { client = s.slice(fromAt + 6, ce); textStart = ce + 2; }
    } else {
      // "proxy-reject: END-OF-MESSAGE: 554 5.7.0 text; from=<…>": no client, the text follows the stage
      const ce = find(s, ': ', p, b);
      if (ce > 0) textStart = sameAt(s, ce + 2, 'END-OF-MESSAGE: ') ? ce + 18 : ce + 2;
    }
    let textEnd = find(s, '; from=<', textStart, b);
    if (textEnd < 0 || textEnd > b) textEnd = b;
    const sender = field(s, 'from=<', textEnd, b);
    const rcpt = field(s, 'to=<', textEnd, b);
    this.tally.reject(kind, t, rejectClient(client), sender, rcpt, s.slice(textStart, textEnd), s.slice(this.a, b));
  }

  /** cleanup: "reject: header Subject: ... from host[ip]; from=<s> to=<r> proto=...: 5.7.1 text" */
  private cleanupReject(s: string, kind: RejectKind, p: number, b: number, t: number): void {
    const fromAt = find(s, '; from=<', p, b);
    const sender = field(s, 'from=<', p, b);
    const rcpt = field(s, 'to=<', p, b);
    let text = s.slice(p, fromAt > 0 && fromAt < b ? fromAt : b);
    const tail = fromAt > 0 ? find(s, ': ', Math.max(fromAt, find(s, 'proto=', fromAt, b)), b) : -1;
    if (tail > 0 && tail < b) text = s.slice(tail + 2, b) + ' (' + text + ')';
    const fa = fromAt > 0 ? s.lastIndexOf(' from ', fromAt) : -1;
    const client = fa > p ? s.slice(fa + 6, fromAt > 0 ? fromAt : b) : '';
    this.tally.reject(kind, t, rejectClient(client), sender, rcpt, text, s.slice(this.a, b));
  }
}

/** The daemon name as a constant string for the ones we interpret (no allocation), else a copy. */
function daemonOf(s: string, a: number, b: number): string {
  const len = b - a;
  const c0 = s.charCodeAt(a), c1 = s.charCodeAt(a + 1);
  let d = '';
  if (c0 === 115 /* s */) d = len === 5 ? 'smtpd' : len === 4 ? 'smtp' : '';
  else if (c0 === 113 /* q */) d = 'qmgr';
  else if (c0 === 99 /* c */) d = 'cleanup';
  else if (c0 === 108 /* l */) d = len === 4 ? 'lmtp' : 'local';
  else if (c0 === 112 /* p */) d = c1 === 105 ? 'pickup' : len === 10 ? 'postscreen' : 'pipe';
  else if (c0 === 98 /* b */) d = 'bounce';
  else if (c0 === 118 /* v */) d = 'virtual';
  return d.length === len && sameAt(s, a, d) ? d : s.slice(a, b);
}

/** s.startsWith(w, a) for short words, without the builtin's call overhead (runs for every line). */
function sameAt(s: string, a: number, w: string): boolean {
  for (let i = 0; i < w.length; i++) if (s.charCodeAt(a + i) !== w.charCodeAt(i)) return false;
  return true;
}

function rejectKind(s: string, p: number): RejectKind | null {
  // proxy-reject: a before-queue content filter refused the message (pflogsumm does not count it)
  if (sameAt(s, p, 'reject: ') || sameAt(s, p, 'milter-reject: ') || sameAt(s, p, 'proxy-reject: ')) return 'reject';
  if (sameAt(s, p, 'reject_warning: ')) return 'warning';
  if (sameAt(s, p, 'hold: ')) return 'hold';
  if (sameAt(s, p, 'discard: ')) return 'discard';
  return null;
}

const CLEANUP_ACTIONS: [string, RejectKind][] = [
  ['milter-reject: ', 'reject'], ['reject: ', 'reject'], ['warning: ', 'warning'], ['hold: ', 'hold'], ['discard: ', 'discard'],
];

function cleanupRejectKind(s: string, p: number, b: number): { kind: RejectKind; at: number } | null {
  if (s.charCodeAt(p) === 109 /* m */ && s.charCodeAt(p + 1) === 101 /* e */) return null; // message-id=, most cleanup lines
  for (const [word, kind] of CLEANUP_ACTIONS) {
    if (!sameAt(s, p, word)) continue;
    const q = p + word.length;
    if (sameAt(s, q, 'header ') || sameAt(s, q, 'body ') || sameAt(s, q, 'END-OF-MESSAGE ')) return { kind, at: q };
    return null;
  }
  return null;
}

function field(s: string, key: string, p: number, b: number): string {
  const i = find(s, key, p, b);
  if (i < 0 || i > b) return '';
  const e = find(s, '>', i + key.length, b);
  return e < 0 || e > b ? '' : s.slice(i + key.length, e);
}

/** The parenthesised text after a status word: "deferred (host x said: 450 ... (in reply to RCPT TO command))". */
function reasonText(s: string, se: number, b: number): string {
  if (s.charCodeAt(se + 1) !== 40) return s.slice(se, b).trim();
  const end = s.charCodeAt(b - 1) === 41 ? b - 1 : b;
  return s.slice(se + 2, end);
}

function isLoopbackRelay(relay: string): boolean {
  if (sameAt(relay, 0, 'localhost[')) return true;
  const br = relay.indexOf('['); // relay=host[address]:port
  return br >= 0 && (sameAt(relay, br, '[127.0.0.1]') || sameAt(relay, br, '[::1]'));
}

/** indexOf limited to the current line [.., b): -1 when the token is not inside it. */
function find(s: string, tok: string, from: number, b: number): number {
  const i = s.indexOf(tok, from);
  return i >= 0 && i + tok.length <= b ? i : -1;
}

function readInt(s: string, p: number): number {
  let v = 0;
  for (let c = s.charCodeAt(p); c >= 48 && c <= 57; c = s.charCodeAt(++p)) v = v * 10 + (c - 48);
  return v;
}

function readFloat(s: string, p: number): number {
  let v = 0;
  let c = s.charCodeAt(p);
  if (!(c >= 48 && c <= 57)) return NaN;
  for (; c >= 48 && c <= 57; c = s.charCodeAt(++p)) v = v * 10 + (c - 48);
  if (c === 46) {
    let scale = 0.1;
    for (c = s.charCodeAt(++p); c >= 48 && c <= 57; c = s.charCodeAt(++p)) { v += (c - 48) * scale; scale /= 10; }
  }
  return v;
}
