// Byte-level fast path for the Postfix lines that make up most of a busy server's log: smtpd
// connect/disconnect and client=, cleanup message-id=, qmgr from=/removed and status=sent
// deliveries. It reads the line's bytes, hashes addresses while scanning and decodes only what is
// kept (a new message's sender and client, a domain seen for the first time). Any other line, or
// one it is not sure of (non-ASCII addresses, loopback hops, forwarding, null senders, RFC 3339
// stamps…), is left untouched (false) for the string parser, postfix.ts, with which it shares the
// message table and the tally: both count a line exactly alike (test/logs/fastpath.test.ts).
import type { Tally, RecipientDomainStat, SenderDomainStat, AccountRef } from '../tally.js';
import type { SyslogClock } from '../time.js';
import type { PostfixParser } from './postfix.js';
import type { SyslogHeader } from './syslog.js';
import { ByteKeyCache, fnvBytes } from '../intern.js';
import { QID_DIGIT } from '../qtable.js';
import { bytesHash, hashAddressBytes } from '../hashset.js';

/** What a queue id's characters are: a digit, A–F, another letter; 0 ends the id. OR-ed over the id. */
const K_DIGIT = 1, K_HEX = 2, K_LETTER = 4;
const QID_KIND = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const d = QID_DIGIT[c]!;
  QID_KIND[c] = d === 0 ? 0 : d <= 10 ? K_DIGIT : d <= 16 ? K_HEX : K_LETTER;
}

const D_OTHER = 0, D_SMTPD = 1, D_SMTP = 2, D_LMTP = 3, D_QMGR = 4, D_CLEANUP = 5;

const bytes = (w: string): Uint8Array => Uint8Array.from(w, (c) => c.charCodeAt(0));
const W = {
  connect: bytes('connect from '), disconnect: bytes('disconnect from '), to: bytes('to=<'), from: bytes('from=<'),
  removed: bytes('removed'), client: bytes('client='), origTo: bytes(', orig_to=<'), relay: bytes(', relay='),
  connUse: bytes('conn_use='), delay: bytes('delay='), status: bytes('status='), size: bytes(', size='),
  nrcpt: bytes('nrcpt='), sasl: bytes('sasl_username='), forwarded: bytes('(forwarded as '),
  comma: bytes(', '), localhost: bytes('localhost['), v4loop: bytes('[127.0.0.1]'), v6loop: bytes('[::1]'),
};

function at(buf: Buffer, p: number, w: Uint8Array): boolean {
  for (let i = 0; i < w.length; i++) if (buf[p + i] !== w[i]) return false;
  return true;
}

/** First index of w in buf[p, e) with the whole word inside, or -1. */
function find(buf: Buffer, w: Uint8Array, p: number, e: number): number {
  const c0 = w[0]!;
  for (const last = e - w.length; p <= last; p++) if (buf[p] === c0 && at(buf, p, w)) return p;
  return -1;
}

function indexOfByte(buf: Buffer, c: number, p: number, e: number): number {
  for (; p < e; p++) if (buf[p] === c) return p;
  return -1;
}

function readInt(buf: Buffer, p: number, e: number): number {
  let v = 0;
  for (let c = buf[p]!; p < e && c >= 48 && c <= 57; c = buf[++p]!) v = v * 10 + (c - 48);
  return v;
}

function readFloat(buf: Buffer, p: number, e: number): number {
  let c = buf[p]!;
  if (!(p < e && c >= 48 && c <= 57)) return NaN;
  let v = 0;
  for (; p < e && c >= 48 && c <= 57; c = buf[++p]!) v = v * 10 + (c - 48);
  if (p < e && c === 46) {
    let scale = 0.1;
    for (c = buf[++p]!; p < e && c >= 48 && c <= 57; c = buf[++p]!) { v += (c - 48) * scale; scale /= 10; }
  }
  return v;
}

/** Where addressEnd() found the address's last '@': -1 if none, -2 if a byte is not ASCII. */
let atSign = -1;

/** The '>' that ends the address starting at a (or -1), noting its last '@' in `atSign` on the way. */
function addressEnd(buf: Buffer, a: number, e: number): number {
  let last = -1;
  for (let i = a; i < e; i++) {
    const c = buf[i]!;
    if (c === 62 /* > */) { atSign = last; return i; }
    if (c >= 128) { for (; i < e; i++) if (buf[i] === 62) { atSign = -2; return i; } return -1; }
    if (c === 64 /* @ */) last = i;
  }
  return -1;
}

function ascii(buf: Buffer, a: number, e: number): boolean {
  for (let i = a; i < e; i++) if (buf[i]! >= 128) return false;
  return true;
}

/** "post" and "fi" as little-endian words: "postfix" is compared a word at a time on every line. */
const POST = 0x74736f70, FI = 0x6966;

export class PostfixFastPath {
  /** the cached stamp prefix "Mmm dd hh:mm:" and the time of its second 0 */
  private readonly stamp = new Uint8Array(32);
  private stampLen = 0;
  /** the prefix's first 12 bytes as three little-endian words (compared a word at a time) */
  private stampW0 = 0;
  private stampW1 = 0;
  private stampW2 = 0;
  /** a view of the chunk being read, for word-sized compares */
  private viewOf: Buffer | null = null;
  private dv: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private stampBase = 0;
  /** the clock's state after parsing the cached stamp: any stamp of that minute leaves it so */
  private stampYear = 0;
  private stampMonth = -1;
  /** index just past the stamp parsed last */
  private end = 0;
  /** lines handled here (the rest went to the string parser) */
  handled = 0;
  /** the envelope line() read last (offsets from the line's start), and where that line and its host start; -1: none */
  private readonly header: SyslogHeader = { t: 0, prog: 0, progEnd: 0, slash: -1, msg: 0 };
  private lineAt = -1;
  private hostAt = 0;
  private readonly rcptDomains: ByteKeyCache<RecipientDomainStat>;
  private readonly senderDomains: ByteKeyCache<SenderDomainStat>;
  /** SASL logins by their bytes (account stats) */
  private readonly accounts: ByteKeyCache<AccountRef>;

  constructor(private readonly tally: Tally, private readonly parser: PostfixParser, private readonly clock: SyslogClock) {
    this.rcptDomains = new ByteKeyCache((d) => tally.recipientDomain(d), true);
    this.senderDomains = new ByteKeyCache((d) => tally.senderDomain(d), true);
    this.accounts = new ByteKeyCache((k) => tally.accountRef(k), false);
  }

  /** Handles the line buf[a, e) and returns true, or returns false having changed nothing. */
  line(buf: Buffer, a: number, e: number): boolean {
    this.lineAt = -1;
    const t = this.time(buf, a, e);
    if (t !== t) return false;
    // envelope: " host postfix/daemon[pid]: "
    let p = this.end + 1;
    if (buf[p] === 60 /* < */) return false;
    const sp = indexOfByte(buf, 32, p, e);
    if (sp < 0) return false;
    const prog = sp + 1;
    const dv = this.view(buf);
    if (prog + 7 > e || dv.getInt32(prog, true) !== POST || dv.getUint16(prog + 4, true) !== FI || buf[prog + 6] !== 120 /* x */) return false;
    // the tag "postfix…/daemon[pid]: ", read forward: the daemon is its last path component
    let q = prog + 7;
    let ds = -1;
    for (let c = buf[q]; c !== 91 /* [ */; c = buf[++q]) {
      if (c === 32 || q >= e) return false;
      if (c === 47 /* / */) ds = q + 1;
    }
    if (ds < 0) return false;
    const br = q;
    const daemon = daemonOf(buf, ds, br);
    if (daemon === D_OTHER) return false;
    for (q++; q < e && buf[q]! >= 48 && buf[q]! <= 57; q++);
    if (buf[q] !== 93 /* ] */ || buf[q + 1] !== 58 /* : */ || buf[q + 2] !== 32) return false;
    const m = q + 3;
    if (buf[m] === 91 /* [ */) return false; // Solaris "[ID …]"
    const h = this.header;
    h.t = t; h.prog = prog - a; h.progEnd = br - a; h.slash = ds - 1 - a; h.msg = m - a;
    this.lineAt = a;
    this.hostAt = p;
    // smtpd's connect/disconnect, over a quarter of a busy log's lines, first: a queue id has no space
    const c0 = buf[m];
    if ((c0 === 99 /* c */ && at(buf, m, W.connect)) || (c0 === 100 /* d */ && at(buf, m, W.disconnect))) {
      this.tally.seen(t);
      this.tally.parsedLines++;
      this.handled++;
      return true;
    }
    // queue id?
    let j = m;
    let seen = 0;
    // ids are at most 20 characters: the scan stops after 21
    for (const end = e < m + 21 ? e : m + 21; j < end; j++) {
      const k = QID_KIND[buf[j]!]!;
      if (k === 0) break;
      seen |= k;
    }
    const idLen = j - m;
    const qidLine = idLen >= 5 && idLen <= 20 && buf[j] === 58 && buf[j + 1] === 32 && ((seen & K_DIGIT) !== 0 || ((seen & K_LETTER) === 0 && idLen >= 6));
    if (!qidLine) return false;
    const open = this.parser.open;
    open.keyOfBytes(buf, m, j);
    // a mid-file worker defers lines of messages that began before its range: the string path decides
    if (this.parser.orphans && !open.get()) return false;
    p = j + 2;
    const c = buf[p];
    let done = false;
    if (c === 116 /* t */ && at(buf, p, W.to)) done = this.sent(buf, p + 4, e, t);
    else if (daemon === D_QMGR) {
      if (c === 102 /* f */ && at(buf, p, W.from)) done = this.from(buf, p + 6, e, t);
      else if (c === 114 /* r */ && at(buf, p, W.removed)) { open.delete(); done = true; }
    } else if (daemon === D_SMTPD) {
      if (c === 99 /* c */ && at(buf, p, W.client)) done = this.client(buf, p + 7, e, t);
    } else if (daemon === D_CLEANUP) done = c === 109 && buf[p + 1] === 101; // message-id=: nothing to count
    if (!done) return false;
    this.tally.seen(t);
    this.tally.parsedLines++;
    this.handled++;
    return true;
  }

  /** A DataView of the chunk, made once per chunk (its lines are all the same Buffer). */
  private view(buf: Buffer): DataView<ArrayBufferLike> {
    if (buf !== this.viewOf) {
      this.viewOf = buf;
      this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    return this.dv;
  }

  /**
   * After line() returned false: the envelope it read, if the bytes before the message are ASCII
   * (its offsets are then those of the decoded line), so the string parser need not read it again.
   * Checked here, on the declined lines only, not on every line.
   */
  envelope(buf: Buffer): SyslogHeader | null {
    const a = this.lineAt;
    return a >= 0 && ascii(buf, this.hostAt, a + this.header.msg) ? this.header : null;
  }

  /**
   * The classic stamp at a. Consecutive lines mostly share the minute: "Mmm dd hh:mm:" equal to the
   * cached prefix, with the clock where that stamp left it, gives the time from the seconds.
   */
  private time(buf: Buffer, a: number, e: number): number {
    const c = buf[a]!;
    if (c < 65 || c > 90) return NaN; // RFC 3339 and the rest: the string path
    const n = this.stampLen;
    const clock = this.clock;
    if (n >= 12 && clock.lastMonth === this.stampMonth && clock.year === this.stampYear && a + n + 2 < e) {
      // a word at a time, the minute's word first: the minute differs first
      const dv = this.view(buf);
      let same = dv.getInt32(a + 8, true) === this.stampW2 && dv.getInt32(a + 4, true) === this.stampW1 && dv.getInt32(a, true) === this.stampW0;
      for (let i = 12; same && i < n; i++) same = buf[a + i] === this.stamp[i];
      const d1 = buf[a + n]! - 48, d2 = buf[a + n + 1]! - 48;
      if (same && d1 >= 0 && d1 <= 6 && d2 >= 0 && d2 <= 9 && buf[a + n + 2] === 32) {
        const sec = d1 * 10 + d2;
        if (sec < 61) {
          this.end = a + n + 2;
          return this.stampBase + sec * 1000;
        }
      }
    }
    const s = buf.toString('latin1', a, Math.min(e, a + 32));
    const t = clock.classic(s, 0);
    if (t !== t) return NaN;
    const end = clock.end;
    this.end = a + end;
    // cache the minute unless the stamp has a fraction of a second
    if (s.charCodeAt(end - 3) === 58 && s.charCodeAt(end) === 32) {
      this.stampLen = end - 2;
      for (let i = 0; i < end - 2; i++) this.stamp[i] = buf[a + i]!;
      const sv = new DataView(this.stamp.buffer);
      this.stampW0 = sv.getInt32(0, true); this.stampW1 = sv.getInt32(4, true); this.stampW2 = sv.getInt32(8, true);
      this.stampBase = t - ((s.charCodeAt(end - 2) - 48) * 10 + (s.charCodeAt(end - 1) - 48)) * 1000;
      this.stampYear = clock.year;
      this.stampMonth = clock.lastMonth;
    } else this.stampLen = 0;
    return t;
  }

  /** "to=<rcpt>, [orig_to=<…>, ]relay=…, [conn_use=…, ]delay=…, …, status=sent (…)" */
  private sent(buf: Buffer, r0: number, e: number, t: number): boolean {
    const gt = addressEnd(buf, r0, e);
    if (gt < 0 || atSign === -2) return false;
    const at0 = atSign;
    let q = gt + 1;
    if (at(buf, q, W.origTo)) { const g2 = indexOfByte(buf, 62, q + 11, e); if (g2 >= 0) q = g2 + 1; }
    if (!at(buf, q, W.relay)) return false;
    // the relay up to ", ", noting its first '[': a loopback relay is a content filter hop, the
    // string path's (see isLoopbackRelay in postfix.ts)
    const relay = q + 8;
    let re = relay;
    let br = -1;
    for (; re + 1 < e; re++) {
      const c = buf[re];
      if (c === 44 /* , */ && buf[re + 1] === 32) break;
      if (c === 91 /* [ */ && br < 0) br = re;
    }
    if (re + 1 >= e) return false;
    if (at(buf, relay, W.localhost) || (br >= 0 && (at(buf, br, W.v4loop) || at(buf, br, W.v6loop)))) return false;
    q = re + 2;
    if (at(buf, q, W.connUse)) { re = find(buf, W.comma, q, e); if (re < 0) return false; q = re + 2; }
    const delay = at(buf, q, W.delay) ? readFloat(buf, q + 6, e) : NaN;
    const st = find(buf, W.status, q, e);
    if (st < 0) return false;
    let se = indexOfByte(buf, 32, st + 7, e);
    if (se < 0) se = e;
    if (buf[st + 7] !== 115 /* s */ || se - st !== 11) return false;
    if (se + 1 < e && at(buf, se + 1, W.forwarded)) return false;
    const tally = this.tally;
    hashAddressBytes(buf, r0, gt, at0);
    const msg = this.parser.open.get();
    tally.recipients.add(bytesHash.hi, bytesHash.lo);
    const rd = at0 < 0 ? tally.recipientDomain('') : this.rcptDomains.get(buf, at0 + 1, gt, bytesHash.dom);
    tally.sent(t, rd, msg ? msg.size : -1, delay);
    return true;
  }

  /** qmgr "from=<sender>, size=N, nrcpt=M (queue active)" */
  private from(buf: Buffer, s0: number, e: number, t: number): boolean {
    const gt = addressEnd(buf, s0, e);
    // the null sender's host is the client's: the string path
    if (gt <= s0 || atSign === -2 || !at(buf, gt + 1, W.size)) return false;
    const at0 = atSign;
    const st = this.parser.openMsg();
    if (st.sized) return true; // logged again on every retry from the deferred queue
    const size = readInt(buf, gt + 8, e);
    st.sized = true;
    st.size = size;
    st.sender = buf.toString('latin1', s0, gt);
    if (st.received) {
      const tally = this.tally;
      const nr = find(buf, W.nrcpt, gt + 8, e);
      const nrcpt = nr >= 0 ? readInt(buf, nr + 6, e) : 1;
      hashAddressBytes(buf, s0, gt, at0);
      tally.senders.add(bytesHash.hi, bytesHash.lo);
      const d = at0 < 0 ? tally.senderDomain('') : this.senderDomains.get(buf, at0 + 1, gt, bytesHash.dom);
      tally.receivedFrom(t, d, size, nrcpt, st.account);
    }
    return true;
  }

  /** smtpd "client=host[ip][, sasl_method=…, sasl_username=login]" */
  private client(buf: Buffer, c0: number, e: number, t: number): boolean {
    // up to the first ',' (or the end), ASCII only
    let ce = c0;
    for (let c = buf[ce]!; ce < e && c !== 44; c = buf[++ce]!) if (c >= 128) return false;
    // a content filter's re-injection (loopback client) is the string path's
    if (endsWith(buf, ce, W.v4loop) || endsWith(buf, ce, W.v6loop)) return false;
    let u = ce < e ? find(buf, W.sasl, ce, e) : -1;
    let ue = e;
    if (u >= 0) {
      u += 14;
      const comma = indexOfByte(buf, 44, u, e);
      if (comma >= 0) ue = comma;
      if (!ascii(buf, u, ue)) return false;
    }
    const st = this.parser.openMsg();
    st.client = buf.toString('latin1', c0, ce);
    st.loopback = false;
    if (!st.received) {
      st.received = true;
      this.tally.receivedMsg(t);
    }
    if (u >= 0) st.account = this.accounts.get(buf, u, ue, fnvBytes(buf, u, ue));
    return true;
  }
}

function endsWith(buf: Buffer, e: number, w: Uint8Array): boolean {
  return e - w.length >= 0 && at(buf, e - w.length, w);
}

function daemonOf(buf: Buffer, a: number, b: number): number {
  const len = b - a;
  const c0 = buf[a], c1 = buf[a + 1], c2 = buf[a + 2], c3 = buf[a + 3];
  if (len === 5 && c0 === 115 && c1 === 109 && c2 === 116 && c3 === 112 && buf[a + 4] === 100) return D_SMTPD;
  if (len === 4 && c0 === 115 && c1 === 109 && c2 === 116 && c3 === 112) return D_SMTP;
  if (len === 4 && c0 === 108 && c1 === 109 && c2 === 116 && c3 === 112) return D_LMTP;
  if (len === 4 && c0 === 113 && c1 === 109 && c2 === 103 && c3 === 114) return D_QMGR;
  if (len === 7 && c0 === 99 && c1 === 108 && c2 === 101 && c3 === 97 && buf[a + 4] === 110 && buf[a + 5] === 117 && buf[a + 6] === 112) return D_CLEANUP;
  return D_OTHER;
}
