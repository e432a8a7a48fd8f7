// Aggregates fed by every parser. Parsers call these methods with plain values (or one reused
// DeliveryRec) so the hot path allocates little; everything kept is bounded or grows with distinct
// addresses/domains only.
import { FailureClassifier, type Direction, type FailureClass } from './classify.js';
import { domainOf } from './addr.js';

export type DeliveryStatus = 'sent' | 'forwarded' | 'deferred' | 'bounced' | 'expired';
export type RejectKind = 'reject' | 'warning' | 'hold' | 'discard';
export type FailureKind = 'deferred' | 'bounced' | 'expired' | 'rejected' | 'connection';

/** One delivery attempt for one recipient. Parsers reuse a single instance. */
export class DeliveryRec {
  t = 0;
  qid = '';
  sender: string | null = null;
  recipient = '';
  status: DeliveryStatus = 'sent';
  relay = '';
  delay = NaN;
  dsn = '';
  /** failure text (the server's reply or the local reason); '' for successes */
  reason = '';
  size = -1;
  /** true on the first deferral of this message (pflogsumm's "deferred" counts messages) */
  firstDeferral = false;
  /** the raw line, filled for failures only */
  line = '';
}

/** A parsed delivery, as handed to an event sink (API storage). */
export interface DeliveryEvent {
  t: number; qid: string; sender: string | null; recipient: string; domain: string; status: DeliveryStatus;
  relay: string; delay: number | null; dsn: string | null; reason: string | null; rootCause: string | null;
}

export interface FailureGroup {
  index: number;
  kind: FailureKind;
  cls: FailureClass;
  target: string;
  count: number;
  first: number;
  last: number;
  sample: string;
  /** example lines per hour bucket, at most 2 each, at most 48 buckets */
  examples: Map<number, string[]>;
}

export interface SenderStat {
  msgs: number;
  rcpts: number;
  bounces: number;
  hour: number;
  hourRcpts: number;
  maxHourRcpts: number;
  maxHour: number;
  hours: number;
}

export interface AuthFailStat { count: number; first: number; last: number; users: Set<string>; example: string }
export interface IpStat { count: number; first: number; last: number; example: string }

// Day/hour arrays: received, delivered, deferred, bounced, rejected.
export const TRAFFIC = ['received', 'delivered', 'deferred', 'bounced', 'rejected'] as const;
const T_RCV = 0, T_DLV = 1, T_DFR = 2, T_BNC = 3, T_REJ = 4;

const DELAY_BINS = 1200;
const DELAY_SCALE = 150; // bins per decade from 10 ms
const MAX_FAILURE_RECORDS = 8_000_000;

/** Growable typed arrays of failures for incident windows (time, group, sender, recipient). */
class FailureLog {
  n = 0;
  t = new Float64Array(4096);
  g = new Int32Array(4096);
  s = new Int32Array(4096);
  r = new Int32Array(4096);
  push(t: number, g: number, s: number, r: number): boolean {
    if (this.n === this.t.length) {
      if (this.n >= MAX_FAILURE_RECORDS) return false;
      const grow = <A extends Float64Array | Int32Array>(a: A, make: (n: number) => A): A => { const b = make(a.length * 2); b.set(a); return b; };
      this.t = grow(this.t, (k) => new Float64Array(k));
      this.g = grow(this.g, (k) => new Int32Array(k));
      this.s = grow(this.s, (k) => new Int32Array(k));
      this.r = grow(this.r, (k) => new Int32Array(k));
    }
    const i = this.n++;
    this.t[i] = t; this.g[i] = g; this.s[i] = s; this.r[i] = r;
    return true;
  }
}

export class Tally {
  readonly classifier = new FailureClassifier();
  // pflogsumm grand totals
  received = 0; delivered = 0; forwarded = 0; deferred = 0; deferrals = 0; bounced = 0; rejected = 0;
  rejectWarnings = 0; held = 0; discarded = 0; bytesReceived = 0; bytesDelivered = 0; expired = 0;
  connectionFailures = 0; authFailures = 0; filterHops = 0;
  readonly senders = new Set<string>();
  readonly sendingHosts = new Set<string>();
  readonly recipients = new Set<string>();
  readonly recipientHosts = new Set<string>();
  readonly senderDomains = new Map<string, { msgs: number; bytes: number }>();
  readonly recipientDomains = new Map<string, { delivered: number; bytes: number; deferred: number; bounced: number }>();
  readonly perDay = new Map<number, Float64Array>();
  readonly perHour = Array.from({ length: 24 }, () => new Float64Array(5));
  readonly delayBins = new Float64Array(DELAY_BINS);
  delayCount = 0;
  readonly groups = new Map<string, FailureGroup>();
  readonly groupList: FailureGroup[] = [];
  readonly failures = new FailureLog();
  failuresDropped = 0;
  private readonly ids = new Map<string, number>();
  readonly senderStats = new Map<string, SenderStat>();
  readonly authFails = new Map<string, AuthFailStat>();
  readonly relayAttempts = new Map<string, IpStat>();
  readonly unparsed = new Map<string, { count: number; example: string }>();
  readonly formats = new Map<string, number>();
  lines = 0;
  parsedLines = 0;
  emptyLines = 0;
  truncatedLines = 0;
  outOfOrder = 0;
  firstT = Infinity;
  lastT = -Infinity;
  private lastSeenT = -Infinity;
  private dayKey = -1;
  private dayArr: Float64Array = new Float64Array(5);
  readonly warnings: string[] = [];
  /** set by the API service to store parsed deliveries */
  onDelivery: ((e: DeliveryEvent) => void) | null = null;

  /** Called once per timestamped line: span, order and the day slot. */
  seen(t: number): void {
    if (t < this.lastSeenT - 60_000) this.outOfOrder++;
    this.lastSeenT = t;
    if (t < this.firstT) this.firstT = t;
    if (t > this.lastT) this.lastT = t;
  }

  private traffic(t: number, slot: number): void {
    const day = Math.floor(t / 86_400_000);
    if (day !== this.dayKey) {
      let a = this.perDay.get(day);
      if (!a) { a = new Float64Array(5); this.perDay.set(day, a); }
      this.dayKey = day;
      this.dayArr = a;
    }
    this.dayArr[slot]!++;
    this.perHour[Math.floor(t / 3_600_000) % 24]![slot]!++;
  }

  /** A message entered the system (smtpd client=, pickup, Exim <=, ...). */
  receivedMsg(t: number): void {
    this.received++;
    this.traffic(t, T_RCV);
  }

  /** A message counted as received turned out to be a content filter's re-injection. */
  undoReceived(size: number, sized: boolean): void {
    this.received--;
    if (sized) this.bytesReceived -= size;
  }

  /**
   * The sender and size of a received message. `sender` is '' for the null sender, whose
   * "sending host" is then the client host (pflogsumm's rule). `account` is the SASL login or
   * envelope sender used for compromised-account detection.
   */
  receivedSender(t: number, sender: string, size: number, clientHost: string, nrcpt: number, account: string | null): void {
    const key = sender === '' ? 'from=<>' : lowerDomain(sender);
    this.senders.add(key);
    const dom = sender === '' ? clientHost : domainOf(key);
    this.sendingHosts.add(dom);
    let d = this.senderDomains.get(dom);
    if (!d) { d = { msgs: 0, bytes: 0 }; this.senderDomains.set(dom, d); }
    d.msgs++;
    d.bytes += size;
    this.bytesReceived += size;
    if (nrcpt > 0) this.senderActivity(account ?? key, t, nrcpt, 0);
  }

  private senderActivity(who: string, t: number, rcpts: number, bounces: number): void {
    let st = this.senderStats.get(who);
    const hour = Math.floor(t / 3_600_000);
    if (!st) {
      st = { msgs: 0, rcpts: 0, bounces: 0, hour, hourRcpts: 0, maxHourRcpts: 0, maxHour: hour, hours: 1 };
      this.senderStats.set(who, st);
    }
    if (hour !== st.hour) { st.hour = hour; st.hourRcpts = 0; st.hours++; }
    if (rcpts > 0) {
      st.msgs++;
      st.rcpts += rcpts;
      st.hourRcpts += rcpts;
      if (st.hourRcpts > st.maxHourRcpts) { st.maxHourRcpts = st.hourRcpts; st.maxHour = hour; }
    }
    st.bounces += bounces;
  }

  delivery(d: DeliveryRec): void {
    const rcpt = lowerDomain(d.recipient);
    const dom = domainOf(rcpt);
    let rd = this.recipientDomains.get(dom);
    if (!rd) { rd = { delivered: 0, bytes: 0, deferred: 0, bounced: 0 }; this.recipientDomains.set(dom, rd); }
    let cls: FailureClass | null = null;
    switch (d.status) {
      case 'sent': {
        this.delivered++;
        this.recipients.add(rcpt);
        this.recipientHosts.add(dom);
        this.traffic(d.t, T_DLV);
        rd.delivered++;
        if (d.size > 0) { this.bytesDelivered += d.size; rd.bytes += d.size; }
        if (d.delay >= 0) this.addDelay(d.delay);
        break;
      }
      case 'forwarded':
        this.forwarded++;
        break;
      case 'deferred':
        this.deferrals++;
        if (d.firstDeferral) this.deferred++;
        this.traffic(d.t, T_DFR);
        rd.deferred++;
        cls = this.failure('deferred', d.t, d.reason, 'outbound', dom, d.sender, rcpt, d.line);
        break;
      case 'bounced':
        this.bounced++;
        this.traffic(d.t, T_BNC);
        rd.bounced++;
        if (d.sender) this.senderActivity(lowerDomain(d.sender), d.t, 0, 1);
        cls = this.failure('bounced', d.t, d.reason, 'outbound', dom, d.sender, rcpt, d.line);
        break;
      case 'expired':
        this.expired++;
        cls = this.failure('expired', d.t, d.reason, 'outbound', dom || 'queue', d.sender, rcpt, d.line);
        break;
    }
    if (this.onDelivery) {
      this.onDelivery({
        t: d.t, qid: d.qid, sender: d.sender, recipient: rcpt, domain: dom, status: d.status, relay: d.relay,
        delay: Number.isFinite(d.delay) ? d.delay : null, dsn: d.dsn || null, reason: d.reason || null,
        rootCause: cls ? cls.rootCause : null,
      });
    }
  }

  /** An SMTP-level refusal by this server (or cleanup's header/body checks). */
  reject(kind: RejectKind, t: number, client: string, clientIp: string, sender: string, recipient: string, text: string, line: string): void {
    switch (kind) {
      case 'reject': this.rejected++; break;
      case 'warning': this.rejectWarnings++; break;
      case 'hold': this.held++; break;
      case 'discard': this.discarded++; break;
    }
    this.traffic(t, T_REJ);
    if (kind !== 'reject') return;
    const cls = this.failure('rejected', t, text, 'inbound', client || clientIp || 'unknown client', sender || null, recipient, line);
    if (cls.rootCause === 'relay_denied' && clientIp) {
      const st = this.relayAttempts.get(clientIp);
      if (st) { st.count++; st.last = t; }
      else this.relayAttempts.set(clientIp, { count: 1, first: t, last: t, example: line });
    }
  }

  /** A failed connection to a remote server, logged without a queue id. */
  connectionFailure(t: number, host: string, text: string, line: string): void {
    this.connectionFailures++;
    this.failure('connection', t, text, 'outbound', host, null, '', line);
  }

  /** A failed SMTP AUTH login at this server. */
  authFailure(t: number, ip: string, user: string | null, line: string): void {
    this.authFailures++;
    let st = this.authFails.get(ip);
    if (!st) { st = { count: 0, first: t, last: t, users: new Set(), example: line }; this.authFails.set(ip, st); }
    st.count++;
    st.last = t;
    if (user && st.users.size < 50) st.users.add(user);
  }

  unparsedLine(program: string, line: string): void {
    const u = this.unparsed.get(program);
    if (u) u.count++;
    else if (this.unparsed.size < 500) this.unparsed.set(program, { count: 1, example: line.slice(0, 300) });
    else this.unparsedLine('(other programs)', line);
  }

  private failure(kind: FailureKind, t: number, text: string, dir: Direction, target: string, sender: string | null, rcpt: string, line: string): FailureClass {
    const cls = this.classifier.classify(text, dir);
    const key = kind + '\t' + cls.rootCause + '\t' + target;
    let g = this.groups.get(key);
    if (!g) {
      g = { index: this.groupList.length, kind, cls, target, count: 0, first: t, last: t, sample: text.slice(0, 500), examples: new Map() };
      this.groups.set(key, g);
      this.groupList.push(g);
    }
    g.count++;
    if (t < g.first) g.first = t;
    if (t > g.last) g.last = t;
    const hour = Math.floor(t / 3_600_000);
    const ex = g.examples.get(hour);
    if (ex) { if (ex.length < 2) ex.push(line.slice(0, 2000)); }
    else if (g.examples.size < 48) g.examples.set(hour, [line.slice(0, 2000)]);
    if (!this.failures.push(t, g.index, sender ? this.id(lowerDomain(sender)) : -1, rcpt ? this.id(rcpt) : -1)) this.failuresDropped++;
    return cls;
  }

  private id(s: string): number {
    let i = this.ids.get(s);
    if (i === undefined) { i = this.ids.size; this.ids.set(s, i); }
    return i;
  }

  private addDelay(sec: number): void {
    const b = sec <= 0.01 ? 0 : Math.min(DELAY_BINS - 1, Math.floor(Math.log10(sec / 0.01) * DELAY_SCALE) + 1);
    this.delayBins[b]!++;
    this.delayCount++;
  }

  /** Delay percentile in seconds (bin centre; about 1.5% resolution). */
  delayPercentile(p: number): number | null {
    if (this.delayCount === 0) return null;
    const want = Math.ceil(this.delayCount * p);
    let acc = 0;
    for (let b = 0; b < DELAY_BINS; b++) {
      acc += this.delayBins[b]!;
      if (acc >= want) return b === 0 ? 0 : 0.01 * 10 ** ((b - 0.5) / DELAY_SCALE);
    }
    return null;
  }
}

/** pflogsumm keys addresses with the domain part lower-cased. */
export function lowerDomain(addr: string): string {
  const at = addr.lastIndexOf('@');
  if (at < 0) return addr;
  const dom = addr.slice(at + 1);
  const low = dom.toLowerCase();
  return low === dom ? addr : addr.slice(0, at + 1) + low;
}
