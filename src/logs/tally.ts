// Aggregates fed by every parser. Parsers call these methods with plain values (or one reused
// DeliveryRec) so the hot path allocates little; everything kept is bounded or grows with distinct
// addresses/domains only. Failures are grouped by (kind, target, normalized text) here and
// classified later, once per distinct text, so worker threads need no diagnosis engine and their
// partial tallies merge exactly.
import { normalizeFailure } from './normalize.js';
import type { Direction, FailureClass } from './classify.js';
import { domainOf, own } from './addr.js';
import { HashSet53, addHashed } from './hashset.js';

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
  dir: Direction;
  target: string;
  /** normalized failure text (the classification cache key) */
  textKey: string;
  count: number;
  first: number;
  last: number;
  sample: string;
  /** number of the sample's line in the input (merging workers keeps the earliest sample) */
  sampleAt: number;
  /** example lines per hour bucket (at most 2 per bucket, MAX_EXAMPLES in all) as [hour, line, line number] */
  examples: [number, string, number][];
  /** set when the report is built */
  cls: FailureClass | null;
}

export interface SenderStat {
  msgs: number;
  rcpts: number;
  bounces: number;
  /** [hour, recipients, hour, recipients, …] in arrival order */
  hours: number[];
}

export interface SenderDomainStat { msgs: number; bytes: number }
export interface RecipientDomainStat { delivered: number; bytes: number; deferred: number; bounced: number }

/** An authenticated login, interned: its SenderStat is looked up once, not per message. */
export interface AccountRef { readonly name: string; stat: SenderStat | null }

export interface AuthFailStat { count: number; first: number; last: number; users: string[]; example: string }

// Day/hour arrays: received, delivered, deferred, bounced, rejected.
export const TRAFFIC = ['received', 'delivered', 'deferred', 'bounced', 'rejected'] as const;
const T_RCV = 0, T_DLV = 1, T_DFR = 2, T_BNC = 3, T_REJ = 4;

const LINEAR_BINS = 10_000; // 10 ms steps up to 100 s
const DELAY_SCALE = 150; // then bins per decade
export const DELAY_BINS = LINEAR_BINS + 6 * DELAY_SCALE;
const MAX_FAILURE_RECORDS = 8_000_000;
const MAX_GROUPS = 20_000;
const MAX_EXAMPLES = 32;
const MAX_RETRY_TEXTS = 4096;
const MAX_RETRY_TEXT = 1024;

/** A brute-force example line is kept from the 10th failure of an address (see security.ts). */
const AUTH_EXAMPLE_AT = 10;

/** "no sender/recipient" in the failure log's hash columns. */
export const NONE = 0;

/**
 * Zeroes the `bytes` of a counter object created with a fractional placeholder there. V8 keeps a
 * field in the representation of the first value stored: a byte count that starts as the small
 * integer 0 turns double when it passes 2^31 (early in a big log), which changes the object's map
 * and deoptimizes every optimized function that had touched such objects (measured: 55 → 17
 * deoptimizations over 2 M lines; range mode 1.4 → 1.2 s). Stored first as a double, it stays one.
 */
function doubleBytes<T extends { bytes: number }>(o: T): T {
  o.bytes = 0;
  return o;
}

/** 32-bit FNV-1a of a string, never NONE: distinct senders/recipients are counted by hash. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h === NONE ? 1 : h;
}

/** Client ids at and above this are interned names (IPv6, host names); below it, IPv4 addresses. */
const NAMED_CLIENT = 2 ** 32;

/** A canonical IPv4 dotted quad (no leading zeros: its name must come back the same) as its 32-bit value, or -1. */
function ipv4(s: string): number {
  if (s.length < 7 || s.length > 15) return -1;
  let v = 0, octet = 0, digits = 0, dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || ++dots > 3) return -1;
      v = v * 256 + octet; octet = 0; digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3 && !(digits === 1 && octet === 0)) {
      octet = octet * 10 + (c - 48);
      if (octet > 255) return -1;
      digits++;
    } else return -1;
  }
  return dots === 3 && digits > 0 ? v * 256 + octet : -1;
}

/**
 * Growable typed arrays of failures for incident windows: time, group, sender hash, recipient
 * hash, client id (-1 if none; see Tally.clientId).
 */
export class FailureLog {
  n = 0;
  t = new Float64Array(4096);
  g = new Int32Array(4096);
  s = new Int32Array(4096);
  r = new Int32Array(4096);
  c = new Float64Array(4096);
  push(t: number, g: number, s: number, r: number, c: number): boolean {
    if (this.n === this.t.length) {
      if (this.n >= MAX_FAILURE_RECORDS) return false;
      const n2 = this.n * 2;
      const grow = <A extends Float64Array | Int32Array>(a: A, b: A): A => { b.set(a); return b; };
      this.t = grow(this.t, new Float64Array(n2));
      this.g = grow(this.g, new Int32Array(n2));
      this.s = grow(this.s, new Int32Array(n2));
      this.r = grow(this.r, new Int32Array(n2));
      this.c = grow(this.c, new Float64Array(n2));
    }
    const i = this.n++;
    this.t[i] = t; this.g[i] = g; this.s[i] = s; this.r[i] = r; this.c[i] = c;
    return true;
  }
}

/** Structured-clone form of a Tally (worker → main thread). */
export interface TallyPartial {
  counts: Record<(typeof COUNTERS)[number], number>;
  firstT: number; lastT: number; headT: number;
  senders: Int32Array; recipients: Int32Array;
  senderDomains: [string, SenderDomainStat][];
  recipientDomains: [string, RecipientDomainStat][];
  perDay: [number, Float64Array][]; perHour: Float64Array[]; delayBins: Float64Array;
  groups: FailureGroup[];
  failures: { n: number; t: Float64Array; g: Int32Array; s: Int32Array; r: Int32Array; c: Float64Array };
  names: string[];
  senderStats: [string, SenderStat][];
  authFails: [string, AuthFailStat][];
  unparsed: [string, { count: number; example: string }][];
  formats: [string, number][];
  warnings: string[];
}

const COUNTERS = [
  'received', 'delivered', 'forwarded', 'deferred', 'deferrals', 'bounced', 'rejected', 'rejectWarnings', 'held',
  'discarded', 'bytesReceived', 'bytesDelivered', 'expired', 'connectionFailures', 'authFailures', 'filterHops',
  'lines', 'parsedLines', 'emptyLines', 'truncatedLines', 'outOfOrder', 'failuresDropped', 'delayCount', 'evicted',
] as const;

export class Tally {
  // pflogsumm grand totals
  received = 0; delivered = 0; forwarded = 0; deferred = 0; deferrals = 0; bounced = 0; rejected = 0;
  rejectWarnings = 0; held = 0; discarded = 0; expired = 0;
  connectionFailures = 0; authFailures = 0; filterHops = 0;
  /** number of the current line in the whole input (set by the analyzer; equal in every worker) */
  at = 0;
  lines = 0; parsedLines = 0; emptyLines = 0; truncatedLines = 0; outOfOrder = 0; failuresDropped = 0;
  delayCount = 0;
  /** queue ids evicted without a final line (bounded state) */
  evicted = 0;
  /** distinct senders/recipients as 53-bit hashes (memory: no address strings are kept) */
  senders = new HashSet53();
  recipients = new HashSet53();
  senderDomains = new Map<string, SenderDomainStat>();
  recipientDomains = new Map<string, RecipientDomainStat>();
  perDay = new Map<number, Float64Array>();
  perHour = Array.from({ length: 24 }, () => new Float64Array(5));
  delayBins = new Float64Array(DELAY_BINS);
  /** groups by kind, then target (a rejected recipient's domain without " (inbound)"), then normalized text */
  private groupIndex = KINDS.map(() => new Map<string, Map<string, FailureGroup>>());
  private retryTexts = new Map<string, string>();
  /** per kind, the group that takes all further texts once MAX_GROUPS is reached */
  private overflow: (FailureGroup | undefined)[] = [];
  groupList: FailureGroup[] = [];
  failures = new FailureLog();
  /** interned client names of rejects that are not IPv4 addresses (see clientId) */
  private names: string[] = [];
  private nameIds = new Map<string, number>();
  senderStats = new Map<string, SenderStat>();
  private accountRefs = new Map<string, AccountRef>();
  authFails = new Map<string, AuthFailStat>();
  unparsed = new Map<string, { count: number; example: string }>();
  formats = new Map<string, number>();
  firstT = Infinity;
  lastT = -Infinity;
  /** time of the last timestamped line */
  lastSeenT = -Infinity;
  /** time of the first timestamped line (range mode checks the tail's against the head's lastSeenT) */
  headT = NaN;
  private dayKey = -1;
  private dayArr: Float64Array = new Float64Array(5);
  warnings: string[] = [];
  /** set by the API service to store parsed deliveries (the classifier resolves root causes) */
  onDelivery: ((e: DeliveryEvent) => void) | null = null;
  classifyNow: ((text: string, dir: Direction) => FailureClass) | null = null;

  /** bytes received, delivered: in a Float64Array so they are doubles from the start (why: doubleBytes) */
  private readonly byteTotals = new Float64Array(2);
  get bytesReceived(): number { return this.byteTotals[0]!; }
  set bytesReceived(v: number) { this.byteTotals[0] = v; }
  get bytesDelivered(): number { return this.byteTotals[1]!; }
  set bytesDelivered(v: number) { this.byteTotals[1] = v; }

  /** Called once per timestamped line: span and order. */
  seen(t: number): void {
    if (t < this.lastSeenT - 60_000) this.outOfOrder++;
    else if (this.lastSeenT === -Infinity) this.headT = t;
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

  /** pflogsumm's "sending hosts/domains": every sender domain (or client host for the null sender). */
  get sendingHosts(): number {
    return this.senderDomains.size;
  }

  /** pflogsumm's "recipient hosts/domains": the domains something was delivered to. */
  get recipientHosts(): number {
    let n = 0;
    for (const d of this.recipientDomains.values()) if (d.delivered > 0) n++;
    return n;
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
   * "sending host" is then the client host (pflogsumm's rule). `account` is the authenticated
   * login (SASL, Exim A=) whose activity is watched for compromised-account patterns.
   */
  receivedSender(t: number, sender: string, size: number, clientHost: string | (() => string), nrcpt: number, account: AccountRef | null): void {
    const key = sender === '' ? 'from=<>' : lowerDomain(sender);
    addHashed(this.senders, key);
    const dom = sender !== '' ? domainOf(key) : typeof clientHost === 'string' ? clientHost : clientHost();
    this.receivedFrom(t, this.senderDomain(dom), size, nrcpt, account);
  }

  /** receivedSender's counting once the sender is in `senders` and its domain's entry is known. */
  receivedFrom(t: number, d: SenderDomainStat, size: number, nrcpt: number, account: AccountRef | null): void {
    d.msgs++;
    d.bytes += size;
    this.bytesReceived += size;
    if (account !== null && nrcpt > 0) {
      const st = (account.stat ??= this.accountStat(account.name));
      st.msgs++;
      st.rcpts += nrcpt;
      const hour = Math.floor(t / 3_600_000);
      const h = st.hours;
      if (h.length >= 2 && h[h.length - 2] === hour) h[h.length - 1]! += nrcpt;
      else h.push(hour, nrcpt);
    }
  }

  senderDomain(dom: string): SenderDomainStat {
    let d = this.senderDomains.get(dom);
    if (!d) { d = doubleBytes({ msgs: 0, bytes: 0.5 }); this.senderDomains.set(own(dom), d); }
    return d;
  }

  recipientDomain(dom: string): RecipientDomainStat {
    let rd = this.recipientDomains.get(dom);
    if (!rd) { rd = doubleBytes({ delivered: 0, bytes: 0.5, deferred: 0, bounced: 0 }); this.recipientDomains.set(own(dom), rd); }
    return rd;
  }

  /** The login's interned reference (parsers keep it on the message until its sender is known). */
  accountRef(name: string): AccountRef {
    let a = this.accountRefs.get(name);
    if (!a) { a = { name: own(name), stat: null }; this.accountRefs.set(a.name, a); }
    return a;
  }

  private accountStat(who: string): SenderStat {
    let st = this.senderStats.get(who);
    if (!st) { st = { msgs: 0, rcpts: 0, bounces: 0, hours: [] }; this.senderStats.set(own(who), st); }
    return st;
  }

  /** A successful delivery once the recipient is in `recipients` (size -1: unknown). */
  sent(t: number, rd: RecipientDomainStat, size: number, delay: number): void {
    this.delivered++;
    this.traffic(t, T_DLV);
    rd.delivered++;
    if (size > 0) { this.bytesDelivered += size; rd.bytes += size; }
    if (delay >= 0) this.addDelay(delay);
  }

  delivery(d: DeliveryRec): void {
    const rcpt = lowerDomain(d.recipient);
    const dom = domainOf(rcpt);
    const rd = this.recipientDomain(dom);
    let kind: FailureKind | null = null;
    switch (d.status) {
      case 'sent':
        addHashed(this.recipients, rcpt);
        this.sent(d.t, rd, d.size, d.delay);
        break;
      case 'forwarded':
        this.forwarded++;
        break;
      case 'deferred':
        this.deferrals++;
        if (d.firstDeferral) this.deferred++;
        this.traffic(d.t, T_DFR);
        rd.deferred++;
        kind = 'deferred';
        this.failure(kind, d.t, d.reason, 'outbound', dom, d.sender, rcpt, '', d.line);
        break;
      case 'bounced':
        this.bounced++;
        this.traffic(d.t, T_BNC);
        rd.bounced++;
        if (d.sender) { const st = this.senderStats.get(lowerDomain(d.sender)); if (st) st.bounces++; }
        kind = 'bounced';
        this.failure(kind, d.t, d.reason, 'outbound', dom, d.sender, rcpt, '', d.line);
        break;
      case 'expired':
        this.expired++;
        kind = 'expired';
        this.failure(kind, d.t, d.reason, 'outbound', dom || 'queue', d.sender, rcpt, '', d.line);
        break;
    }
    if (this.onDelivery) {
      const cls = kind && this.classifyNow ? this.classifyNow(d.reason, 'outbound') : null;
      this.onDelivery({
        t: d.t, qid: d.qid, sender: d.sender, recipient: rcpt, domain: dom, status: d.status, relay: d.relay,
        delay: Number.isFinite(d.delay) ? d.delay : null, dsn: d.dsn || null, reason: d.reason || null,
        rootCause: cls ? cls.rootCause : null,
      });
    }
  }

  /**
   * An SMTP-level refusal by this server (or cleanup's header/body checks). `client` is the
   * client's IP address, or its name where the log gives no address (rejectClient), or ''.
   */
  reject(kind: RejectKind, t: number, client: string, sender: string, recipient: string, text: string, line: string): void {
    switch (kind) {
      case 'reject': this.rejected++; break;
      case 'warning': this.rejectWarnings++; break;
      case 'hold': this.held++; break;
      case 'discard': this.discarded++; break;
    }
    this.traffic(t, T_REJ);
    // Grouped by the refused recipient's domain; the client IP goes to the failure log (relay attempts).
    const rdom = recipient ? domainOf(lowerDomain(recipient)) : '';
    if (kind === 'reject') this.failure('rejected', t, text, 'inbound', rdom, sender || null, recipient, client, line);
  }

  /** A failed connection to a remote server, logged without a queue id. */
  connectionFailure(t: number, host: string, text: string, line: string): void {
    this.connectionFailures++;
    this.failure('connection', t, text, 'outbound', host, null, '', '', line);
  }

  /** A failed SMTP AUTH login at this server. */
  authFailure(t: number, ip: string, user: string | null, line: string): void {
    this.authFailures++;
    let st = this.authFails.get(ip);
    if (!st) { st = { count: 0, first: t, last: t, users: [], example: '' }; this.authFails.set(own(ip), st); }
    // only addresses that reach the brute-force threshold keep an example line
    if (++st.count === AUTH_EXAMPLE_AT) st.example = own(line.slice(0, 1000));
    if (t < st.first) st.first = t;
    if (t > st.last) st.last = t;
    if (user && st.users.length < 20 && !st.users.includes(user)) st.users.push(own(user));
  }

  unparsedLine(program: string, line: string): void {
    const u = this.unparsed.get(program);
    if (u) u.count++;
    else if (this.unparsed.size < 500) this.unparsed.set(own(program), { count: 1, example: own(line.slice(0, 300)) });
    else this.unparsedLine('(other programs)', line);
  }

  /**
   * Counts a failure in its group. `target` is the lookup target: for rejects the refused
   * recipient's domain, shown as "domain (inbound)" (built once per group, not per line).
   */
  private failure(kind: FailureKind, t: number, text: string, dir: Direction, target: string, sender: string | null, rcpt: string, client: string, line: string): void {
    const norm = kind === 'deferred' || kind === 'connection' ? this.normalizedRetry(text) : normalizeFailure(text);
    const ki = KIND_INDEX[kind];
    let g = this.group(kind, target, norm) ?? (this.groupList.length >= MAX_GROUPS ? this.overflow[ki] : undefined);
    if (!g) {
      g = {
        index: this.groupList.length, kind, dir, target: own(kind === 'rejected' ? inboundTarget(target) : target),
        textKey: own((dir === 'inbound' ? 'i' : 'o') + norm), count: 0, first: t, last: t,
        sample: own(text.slice(0, 500)), sampleAt: this.at, examples: [], cls: null,
      };
      // bounded memory on pathological input: further distinct texts share one group per kind
      if (this.groupList.length >= MAX_GROUPS) this.overflow[ki] = g;
      else this.indexGroup(g);
      this.groupList.push(g);
    }
    g.count++;
    if (t < g.first) g.first = t;
    if (t > g.last) g.last = t;
    addExample(g.examples, Math.floor(t / 3_600_000), line, this.at);
    if (!this.failures.push(t, g.index, sender ? hash32(lowerDomain(sender)) : NONE, rcpt ? hash32(rcpt) : NONE, client ? this.clientId(client) : -1)) {
      this.failuresDropped++;
    }
  }

  /**
   * normalizeFailure for deferral and connection texts, which repeat word for word on every retry:
   * cached by the raw text (bounded), the same key string comes back, its hash already computed.
   */
  private normalizedRetry(text: string): string {
    if (text.length > MAX_RETRY_TEXT) return normalizeFailure(text); // the cache's memory stays small
    let norm = this.retryTexts.get(text);
    if (norm === undefined) {
      norm = own(normalizeFailure(text));
      if (this.retryTexts.size >= MAX_RETRY_TEXTS) this.retryTexts.clear();
      this.retryTexts.set(own(text), norm);
    }
    return norm;
  }

  /** The group of a failure kind, lookup target (see failure()) and normalized text. */
  private group(kind: FailureKind, target: string, norm: string): FailureGroup | undefined {
    return this.groupIndex[KIND_INDEX[kind]]!.get(target)?.get(norm);
  }

  private indexGroup(g: FailureGroup): void {
    const byTarget = this.groupIndex[KIND_INDEX[g.kind]]!;
    const target = lookupTarget(g);
    let byText = byTarget.get(target);
    if (!byText) { byText = new Map(); byTarget.set(target, byText); }
    byText.set(g.textKey.slice(1), g);
  }

  /**
   * A reject's client as a number for the failure log: an IPv4 address is its own 32-bit value
   * (rejects mostly come from ever new addresses: interning each as a string cost more than the
   * rest of the failure's bookkeeping), anything else an interned name from NAMED_CLIENT up.
   */
  private clientId(s: string): number {
    const v = ipv4(s);
    if (v >= 0) return v;
    let i = this.nameIds.get(s);
    if (i === undefined) { i = this.names.length; const o = own(s); this.nameIds.set(o, i); this.names.push(o); }
    return NAMED_CLIENT + i;
  }

  /** The address or name a failure log client id stands for. */
  clientName(id: number): string {
    if (id >= NAMED_CLIENT) return this.names[id - NAMED_CLIENT]!;
    return `${Math.floor(id / 16777216)}.${(id >>> 16) & 255}.${(id >>> 8) & 255}.${id & 255}`;
  }

  private addDelay(sec: number): void {
    const cs = Math.round(sec * 100);
    const b = cs < LINEAR_BINS ? cs : Math.min(DELAY_BINS - 1, LINEAR_BINS + Math.floor(Math.log10(sec / 100) * DELAY_SCALE));
    this.delayBins[b]!++;
    this.delayCount++;
  }

  /** Delay percentile in seconds: exact to 10 ms below 100 s, about 1.5% above. */
  delayPercentile(p: number): number | null {
    if (this.delayCount === 0) return null;
    const want = Math.ceil(this.delayCount * p);
    let acc = 0;
    for (let b = 0; b < DELAY_BINS; b++) {
      acc += this.delayBins[b]!;
      if (acc >= want) return b < LINEAR_BINS ? b / 100 : Math.round(100 * 10 ** ((b - LINEAR_BINS + 0.5) / DELAY_SCALE));
    }
    return null;
  }

  // ------------------------------------------------------------------ worker hand-off

  toPartial(): TallyPartial {
    const f = this.failures;
    return {
      counts: Object.fromEntries(COUNTERS.map((k) => [k, this[k]])) as TallyPartial['counts'],
      firstT: this.firstT, lastT: this.lastT, headT: this.headT,
      senders: this.senders.entries(), recipients: this.recipients.entries(),
      senderDomains: [...this.senderDomains], recipientDomains: [...this.recipientDomains],
      perDay: [...this.perDay], perHour: this.perHour, delayBins: this.delayBins,
      groups: this.groupList,
      failures: { n: f.n, t: f.t.subarray(0, f.n), g: f.g.subarray(0, f.n), s: f.s.subarray(0, f.n), r: f.r.subarray(0, f.n), c: f.c.subarray(0, f.n) },
      names: this.names, senderStats: [...this.senderStats], authFails: [...this.authFails], unparsed: [...this.unparsed],
      formats: [...this.formats], warnings: this.warnings,
    };
  }

  /** Adds a partial tally; merging partials in a fixed order gives a deterministic result. */
  merge(p: TallyPartial): void {
    for (const k of COUNTERS) this[k] += p.counts[k];
    this.firstT = Math.min(this.firstT, p.firstT);
    this.lastT = Math.max(this.lastT, p.lastT);
    this.senders.addAll(p.senders);
    this.recipients.addAll(p.recipients);
    for (const [k, v] of p.senderDomains) { const d = this.senderDomains.get(k); if (d) { d.msgs += v.msgs; d.bytes += v.bytes; } else this.senderDomains.set(k, v); }
    for (const [k, v] of p.recipientDomains) {
      const d = this.recipientDomains.get(k);
      if (d) { d.delivered += v.delivered; d.bytes += v.bytes; d.deferred += v.deferred; d.bounced += v.bounced; } else this.recipientDomains.set(k, v);
    }
    for (const [day, a] of p.perDay) { const d = this.perDay.get(day); if (d) for (let i = 0; i < 5; i++) d[i]! += a[i]!; else this.perDay.set(day, a); }
    for (let h = 0; h < 24; h++) for (let i = 0; i < 5; i++) this.perHour[h]![i]! += p.perHour[h]![i]!;
    for (let b = 0; b < DELAY_BINS; b++) this.delayBins[b]! += p.delayBins[b]!;
    const gmap: number[] = [];
    for (const g of p.groups) {
      const mine = this.group(g.kind, lookupTarget(g), g.textKey.slice(1));
      if (mine) {
        mine.count += g.count;
        mine.first = Math.min(mine.first, g.first);
        mine.last = Math.max(mine.last, g.last);
        if (g.sampleAt < mine.sampleAt) { mine.sample = g.sample; mine.sampleAt = g.sampleAt; }
        // replayed in input order, the examples are the ones a single thread would have kept
        const all = mine.examples.concat(g.examples).sort((x, y) => x[2] - y[2]);
        mine.examples = [];
        for (const [h, l, at] of all) addExample(mine.examples, h, l, at);
        gmap.push(mine.index);
      } else {
        const ng = { ...g, index: this.groupList.length };
        this.indexGroup(ng);
        this.groupList.push(ng);
        gmap.push(ng.index);
      }
    }
    const named = p.names.map((s) => this.clientId(s));
    const f = p.failures;
    for (let i = 0; i < f.n; i++) {
      const c = f.c[i]!;
      if (!this.failures.push(f.t[i]!, gmap[f.g[i]!]!, f.s[i]!, f.r[i]!, c >= NAMED_CLIENT ? named[c - NAMED_CLIENT]! : c)) this.failuresDropped++;
    }
    for (const [k, v] of p.senderStats) {
      const st = this.senderStats.get(k);
      if (st) { st.msgs += v.msgs; st.rcpts += v.rcpts; st.bounces += v.bounces; st.hours.push(...v.hours); } else this.senderStats.set(k, v);
    }
    for (const [ip, v] of p.authFails) {
      const st = this.authFails.get(ip);
      if (!st) { this.authFails.set(ip, v); continue; }
      st.count += v.count;
      if (v.first < st.first) st.first = v.first;
      st.last = Math.max(st.last, v.last);
      for (const u of v.users) if (st.users.length < 20 && !st.users.includes(u)) st.users.push(u);
      if (!st.example) st.example = v.example;
    }
    for (const [k, v] of p.unparsed) { const u = this.unparsed.get(k); if (u) u.count += v.count; else this.unparsed.set(k, v); }
    for (const [k, v] of p.formats) this.formats.set(k, (this.formats.get(k) ?? 0) + v);
    for (const w of p.warnings) if (!this.warnings.includes(w)) this.warnings.push(w);
  }
}

/**
 * Example lines of a group: at most two per hour; the first two are kept for good, later ones in a
 * window of the most recent MAX_EXAMPLES (lines mostly arrive in time order).
 */
function addExample(ex: [number, string, number][], hour: number, line: string, at: number): void {
  const n = ex.length;
  if (n >= 2 && ex[n - 1]![0] === hour && ex[n - 2]![0] === hour) return;
  if (n >= MAX_EXAMPLES) ex.splice(2, 1);
  ex.push([hour, own(line.slice(0, 1000)), at]);
}

const KINDS: FailureKind[] = ['deferred', 'bounced', 'expired', 'rejected', 'connection'];
const KIND_INDEX = Object.fromEntries(KINDS.map((k, i) => [k, i])) as Record<FailureKind, number>;

/** A reject group's shown target: the refused recipient's domain, marked inbound. */
const inboundTarget = (domain: string): string => (domain ? `${domain} (inbound)` : '(inbound)');
/** A group's lookup target from its shown one: a reject's refused domain without " (inbound)". */
const lookupTarget = (g: FailureGroup): string =>
  g.kind !== 'rejected' ? g.target : g.target === '(inbound)' ? '' : g.target.slice(0, -' (inbound)'.length);

/** pflogsumm keys addresses with the domain part lower-cased. */
export function lowerDomain(addr: string): string {
  const at = addr.lastIndexOf('@');
  if (at < 0) return addr;
  const dom = addr.slice(at + 1);
  const low = dom.toLowerCase();
  return low === dom ? addr : addr.slice(0, at + 1) + low;
}
