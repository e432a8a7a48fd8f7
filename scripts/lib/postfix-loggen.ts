// A deterministic generator of realistic Postfix logs with ground truth, for benchmarks and tests.
// It simulates a mail server (mx1.example.net) over ~36 hours across a year boundary: inbound mail
// to local mailboxes (LMTP), authenticated submission to remote providers, local pickup, alias
// forwarding, SMTP-time rejects, header-check actions, deferrals with retries (greylisting,
// throttling, unreachable hosts), bounces with non-delivery notices, queue-lifetime expiries, a
// DMARC incident at gmail.com, SASL password guessing and one compromised account.
// Every line is emitted in time order; counters follow pflogsumm's definitions.
import { openSync, writeSync, closeSync } from 'node:fs';
import { rng } from './rng.js';

export interface GroundTruth {
  lines: number;
  received: number; delivered: number; forwarded: number; deferred: number; deferrals: number; bounced: number;
  rejected: number; rejectWarnings: number; held: number; discarded: number; bytesReceived: number;
  bytesDelivered: number; senders: number; sendingHosts: number; recipients: number; recipientHosts: number;
  expired: number; connectionFailures: number; authFailures: number;
}

export interface GenOptions {
  /** minimum number of lines to write */
  lines: number;
  seed?: number;
  /** first timestamp (UTC wall clock); default Dec 31 of 2025, 00:00 */
  start?: number;
}

const HOST = 'mx1';
const LOCAL = 'example.net';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const QUEUE_LIFETIME = 86_400; // maximal_queue_lifetime = 1d
export const INCIDENT = { domain: 'gmail.com', fromHour: 34.7, toHour: 35.5 }; // Jan 1 10:42 .. 11:30
export const BRUTE_FORCE_IP = '203.0.113.250';
export const COMPROMISED = `sales7@${LOCAL}`;

interface Provider { domain: string; mx: string; ip: string; weight: number }

/** Min-heap of timed callbacks; ties keep insertion order so output is deterministic. */
class Agenda {
  private t: number[] = [];
  private seq: number[] = [];
  private fn: (() => void)[] = [];
  private n = 0;
  private counter = 0;
  get size(): number { return this.n; }
  push(t: number, f: () => void): void {
    let i = this.n++;
    const s = this.counter++;
    this.t[i] = t; this.seq[i] = s; this.fn[i] = f;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.less(p, i)) break;
      this.swap(i, p);
      i = p;
    }
  }
  peekTime(): number { return this.t[0]!; }
  pop(): () => void {
    const f = this.fn[0]!;
    this.n--;
    if (this.n > 0) {
      this.t[0] = this.t[this.n]!; this.seq[0] = this.seq[this.n]!; this.fn[0] = this.fn[this.n]!;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < this.n && this.less(l, m)) m = l;
        if (r < this.n && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    this.fn.length = this.n;
    return f;
  }
  private less(a: number, b: number): boolean {
    return this.t[a]! < this.t[b]! || (this.t[a] === this.t[b] && this.seq[a]! < this.seq[b]!);
  }
  private swap(a: number, b: number): void {
    [this.t[a], this.t[b]] = [this.t[b]!, this.t[a]!];
    [this.seq[a], this.seq[b]] = [this.seq[b]!, this.seq[a]!];
    [this.fn[a], this.fn[b]] = [this.fn[b]!, this.fn[a]!];
  }
}

interface Rcpt { addr: string; done: boolean; attempts: number; kind: 'remote' | 'local' | 'forward' }
interface Msg { qid: string; sender: string; size: number; rcpts: Rcpt[]; born: number; deferred: boolean; account: string | null }

export class PostfixLogGenerator {
  readonly truth: GroundTruth = {
    lines: 0, received: 0, delivered: 0, forwarded: 0, deferred: 0, deferrals: 0, bounced: 0, rejected: 0,
    rejectWarnings: 0, held: 0, discarded: 0, bytesReceived: 0, bytesDelivered: 0, senders: 0, sendingHosts: 0,
    recipients: 0, recipientHosts: 0, expired: 0, connectionFailures: 0, authFailures: 0,
  };
  private readonly rnd: () => number;
  private readonly agenda = new Agenda();
  private readonly out: string[] = [];
  private outLen = 0;
  private qidCounter = 1;
  private pidCounter = 1000;
  private readonly senders = new Set<string>();
  private readonly sendingHosts = new Set<string>();
  private readonly recipients = new Set<string>();
  private readonly recipientHosts = new Set<string>();
  private readonly providers: Provider[];
  private readonly deadDomains: string[];
  private readonly greylisting: Set<string>;
  private readonly totalWeight: number;
  private stampSec = -1;
  private stamp = '';
  private readonly start: number;
  private readonly meanGap: number;
  private stopArrivals = false;

  constructor(private readonly opts: GenOptions, private readonly sink: (chunk: string) => void) {
    this.rnd = rng(opts.seed ?? 42);
    this.start = opts.start ?? Date.UTC(2025, 11, 31, 0, 0, 0);
    // ~11 lines per arrival on average; spread over 36 hours
    this.meanGap = (36 * 3600) / Math.max(1, opts.lines / 11);
    const big: Provider[] = [
      { domain: 'gmail.com', mx: 'gmail-smtp-in.l.google.com', ip: '142.250.102.27', weight: 30 },
      { domain: 'yahoo.com', mx: 'mta6.am0.yahoodns.net', ip: '67.195.204.77', weight: 10 },
      { domain: 'outlook.com', mx: 'outlook-com.olc.protection.outlook.com', ip: '52.101.68.4', weight: 10 },
      { domain: 'hotmail.com', mx: 'hotmail-com.olc.protection.outlook.com', ip: '52.101.42.10', weight: 6 },
      { domain: 'qq.com', mx: 'mx3.qq.com', ip: '203.205.219.57', weight: 6 },
      { domain: '163.com', mx: '163mx01.mxmail.netease.com', ip: '220.181.14.157', weight: 4 },
      { domain: 'icloud.com', mx: 'mx01.mail.icloud.com', ip: '17.57.155.23', weight: 4 },
    ];
    for (let i = 1; i <= 400; i++) big.push({ domain: `corp${i}.example`, mx: `mx.corp${i}.example`, ip: `198.51.${100 + (i >> 8)}.${i & 255}`, weight: 0.075 });
    this.providers = big;
    this.totalWeight = big.reduce((a, p) => a + p.weight, 0);
    this.deadDomains = ['corp13.example', 'corp77.example', 'corp201.example'];
    this.greylisting = new Set(['corp5.example', 'corp42.example', 'corp99.example', 'corp150.example', 'corp333.example']);
  }

  // ----------------------------------------------------------------------------- helpers
  private pick<T>(a: T[]): T { return a[Math.floor(this.rnd() * a.length)]!; }
  private chance(p: number): boolean { return this.rnd() < p; }
  private pid(): number { return this.pidCounter = this.pidCounter >= 65000 ? 1000 : this.pidCounter + 1 + Math.floor(this.rnd() * 7); }
  private qid(): string {
    // odd multiplier: a bijection on 40 bits, so ids never repeat
    const v = (this.qidCounter++ * 0x9e3779b1) % 2 ** 40;
    return v.toString(16).toUpperCase().padStart(10, '0');
  }
  private size(): number { return Math.round(Math.exp(8.5 + this.rnd() * 2.6 + this.rnd() * 1.2)); }
  private remoteProvider(): Provider {
    let r = this.rnd() * this.totalWeight;
    for (const p of this.providers) { r -= p.weight; if (r <= 0) return p; }
    return this.providers[0]!;
  }
  private providerOf(domain: string): Provider {
    return this.providers.find((p) => p.domain === domain) ?? this.providers[0]!;
  }
  private localUser(): string { return `user${Math.floor(this.rnd() * 3000)}@${LOCAL}`; }
  private remoteAddr(p: Provider): string { return `${this.pick(['j', 'm', 'li', 'wang', 'anna', 'info', 'sales', 'k'])}${Math.floor(this.rnd() * 20000)}@${p.domain}`; }
  private clientIp(): string { return `${[185, 91, 45, 102, 196, 77][Math.floor(this.rnd() * 6)]}.${Math.floor(this.rnd() * 256)}.${Math.floor(this.rnd() * 256)}.${1 + Math.floor(this.rnd() * 254)}`; }

  private line(t: number, prog: string, pid: number, msg: string): void {
    const sec = Math.floor(t);
    if (sec !== this.stampSec) {
      this.stampSec = sec;
      const d = new Date(this.start + sec * 1000);
      const day = d.getUTCDate();
      const p2 = (n: number): string => String(n).padStart(2, '0');
      this.stamp = `${MONTHS[d.getUTCMonth()]} ${day < 10 ? ' ' + day : day} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${HOST} `;
    }
    const l = `${this.stamp}${prog}[${pid}]: ${msg}\n`;
    this.out.push(l);
    this.outLen += l.length;
    this.truth.lines++;
    if (this.outLen > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.out.length) this.sink(this.out.join(''));
    this.out.length = 0;
    this.outLen = 0;
  }
  private at(t: number, f: () => void): void { this.agenda.push(t, f); }
  private delayStr(m: Msg, t: number): string {
    const d = Math.max(0.05, t - m.born);
    const a = Math.min(d * 0.3, 0.5), b = 0.01, c = Math.min(0.3, d * 0.2);
    return `delay=${d.toFixed(d < 10 ? 2 : 0)}, delays=${a.toFixed(2)}/${b.toFixed(2)}/${c.toFixed(2)}/${Math.max(0, d - a - b - c).toFixed(2)}`;
  }

  // ----------------------------------------------------------------------------- truth
  /** pflogsumm counts a message as received at smtpd "client=" / pickup ... */
  private countReceived(): void {
    this.truth.received++;
  }
  /** ... and its sender and size at the first qmgr "from=" line. */
  private countSender(m: Msg): void {
    this.truth.bytesReceived += m.size;
    this.senders.add(m.sender);
    this.sendingHosts.add(m.sender.slice(m.sender.indexOf('@') + 1));
  }
  private countDelivered(m: Msg, rcpt: string): void {
    this.truth.delivered++;
    this.truth.bytesDelivered += m.size;
    this.recipients.add(rcpt);
    this.recipientHosts.add(rcpt.slice(rcpt.indexOf('@') + 1));
  }

  // ----------------------------------------------------------------------------- flows
  /** A client connects, hands over a message; smtpd/cleanup/qmgr lines, then delivery. */
  private receive(t: number, m: Msg, client: string, sasl: string | null, then: (t: number) => void): void {
    const spid = this.pid();
    this.line(t, 'postfix/smtpd', spid, `connect from ${client}`);
    this.line(t, 'postfix/smtpd', spid, `${m.qid}: client=${client}${sasl ? `, sasl_method=PLAIN, sasl_username=${sasl}` : ''}`);
    this.countReceived();
    this.line(t, 'postfix/cleanup', this.pid(), `${m.qid}: message-id=<${m.qid.toLowerCase()}.${Math.floor(this.rnd() * 1e9)}@${m.sender.split('@')[1] ?? LOCAL}>`);
    // header checks on a few inbound messages
    if (!sasl && this.chance(0.006)) {
      const kind = this.pick(['hold', 'discard', 'reject', 'warning'] as const);
      const text = kind === 'reject' ? '5.7.1 Attachment type not allowed' : kind === 'hold' ? 'Quarantined for review' : kind === 'discard' ? 'Known spam campaign' : 'Subject looks like an invoice';
      this.line(t, 'postfix/cleanup', this.pid(), `${m.qid}: ${kind}: header Subject: Invoice ${Math.floor(this.rnd() * 9999)} from ${client}; from=<${m.sender}> to=<${m.rcpts[0]!.addr}> proto=ESMTP helo=<${client.split('[')[0]}>: ${text}`);
      if (kind === 'hold') this.truth.held++;
      if (kind === 'discard') this.truth.discarded++;
      if (kind === 'reject') this.truth.rejected++;
      if (kind === 'warning') this.truth.rejectWarnings++;
      if (kind !== 'warning') {
        this.line(t + 1, 'postfix/smtpd', spid, `disconnect from ${client} ehlo=1 mail=1 rcpt=1 data=${kind === 'reject' ? '0/1' : '1'} quit=1 commands=${kind === 'reject' ? '4/5' : '5'}`);
        if (kind === 'discard') this.line(t + 1, 'postfix/qmgr', this.pid(), `${m.qid}: removed`);
        return;
      }
    }
    this.line(t, 'postfix/qmgr', 2201, `${m.qid}: from=<${m.sender}>, size=${m.size}, nrcpt=${m.rcpts.length} (queue active)`);
    this.countSender(m);
    this.line(t + 1, 'postfix/smtpd', spid, `disconnect from ${client} ehlo=1${sasl ? ' auth=1' : ''} mail=1 rcpt=${m.rcpts.length} data=1 quit=1 commands=${5 + m.rcpts.length}`);
    then(t + 1);
  }

  private inbound(t: number): void {
    const p = this.remoteProvider();
    const sender = this.remoteAddr(p);
    const n = this.chance(0.85) ? 1 : 2 + Math.floor(this.rnd() * 3);
    const rcpts: Rcpt[] = [];
    for (let i = 0; i < n; i++) rcpts.push({ addr: this.localUser(), done: false, attempts: 0, kind: this.chance(0.01) ? 'forward' : 'local' });
    const m: Msg = { qid: this.qid(), sender, size: this.size(), rcpts, born: t, deferred: false, account: null };
    const client = `mail-${Math.floor(this.rnd() * 90)}.${p.domain}[${this.clientIp()}]`;
    this.receive(t, m, client, null, (t2) => this.attempt(t2, m));
  }

  private submission(t: number, account: string, nRcpt?: number): void {
    const n = nRcpt ?? (this.chance(0.7) ? 1 : 2 + Math.floor(this.rnd() * 4));
    const rcpts: Rcpt[] = [];
    for (let i = 0; i < n; i++) {
      const p = this.chance(0.08) ? null : this.remoteProvider();
      rcpts.push(p ? { addr: this.remoteAddr(p), done: false, attempts: 0, kind: 'remote' } : { addr: this.localUser(), done: false, attempts: 0, kind: 'local' });
    }
    const m: Msg = { qid: this.qid(), sender: account, size: this.size(), rcpts, born: t, deferred: false, account };
    this.receive(t, m, `unknown[${this.clientIp()}]`, account, (t2) => this.attempt(t2, m));
  }

  private pickup(t: number): void {
    const m: Msg = { qid: this.qid(), sender: `root@${HOST}.${LOCAL}`, size: 600 + Math.floor(this.rnd() * 3000), rcpts: [{ addr: `admin@${LOCAL}`, done: false, attempts: 0, kind: 'local' }], born: t, deferred: false, account: null };
    this.line(t, 'postfix/pickup', 2202, `${m.qid}: uid=0 from=<root>`);
    this.countReceived();
    this.line(t, 'postfix/cleanup', this.pid(), `${m.qid}: message-id=<${m.qid}@${HOST}.${LOCAL}>`);
    this.line(t, 'postfix/qmgr', 2201, `${m.qid}: from=<${m.sender}>, size=${m.size}, nrcpt=1 (queue active)`);
    this.countSender(m);
    this.attempt(t + 0.2, m);
  }

  /** One delivery round for every open recipient of m. */
  private attempt(t: number, m: Msg): void {
    let pending = 0;
    let nextRetry = 0;
    for (const r of m.rcpts) {
      if (r.done) continue;
      r.attempts++;
      const dt = t + 0.2 + this.rnd() * 1.5;
      const outcome = this.outcome(r, m, dt);
      if (outcome === 'retry') { pending++; nextRetry = Math.max(nextRetry, r.attempts); }
    }
    const tEnd = t + 2;
    if (pending === 0) {
      this.at(tEnd, () => this.line(tEnd, 'postfix/qmgr', 2201, `${m.qid}: removed`));
      return;
    }
    // Postfix backoff: 300 s doubling up to 4000 s
    const wait = Math.min(4000, 300 * 2 ** Math.min(4, nextRetry - 1)) + this.rnd() * 60;
    const tr = t + wait;
    this.at(tr, () => {
      if (tr - m.born > QUEUE_LIFETIME) return this.expire(tr, m);
      this.line(tr, 'postfix/qmgr', 2201, `${m.qid}: from=<${m.sender}>, size=${m.size}, nrcpt=${m.rcpts.length} (queue active)`);
      this.attempt(tr + 0.1, m);
    });
  }

  private deferLine(t: number, m: Msg, r: Rcpt, relay: string, dsn: string, reason: string, agent = 'postfix/smtp'): void {
    this.line(t, agent, this.pid(), `${m.qid}: to=<${r.addr}>, relay=${relay}, ${this.delayStr(m, t)}, dsn=${dsn}, status=deferred (${reason})`);
    this.truth.deferrals++;
    if (!m.deferred) { m.deferred = true; this.truth.deferred++; }
  }

  private bounceLine(t: number, m: Msg, r: Rcpt, relay: string, dsn: string, reason: string, agent = 'postfix/smtp'): void {
    this.line(t, agent, this.pid(), `${m.qid}: to=<${r.addr}>, relay=${relay}, ${this.delayStr(m, t)}, dsn=${dsn}, status=bounced (${reason})`);
    this.truth.bounced++;
    r.done = true;
    if (m.sender !== '') this.notify(t, m, 'non-delivery');
  }

  private sentLine(t: number, m: Msg, r: Rcpt, relay: string, reply: string, agent = 'postfix/smtp'): void {
    this.line(t, agent, this.pid(), `${m.qid}: to=<${r.addr}>, relay=${relay}, ${this.delayStr(m, t)}, dsn=2.0.0, status=sent (${reply})`);
    this.countDelivered(m, r.addr);
    r.done = true;
  }

  /** Returns 'retry' when the recipient stays queued. */
  private outcome(r: Rcpt, m: Msg, t: number): 'done' | 'retry' {
    if (r.kind === 'local') {
      const relay = `${HOST}.${LOCAL}[private/dovecot-lmtp]`;
      if (this.chance(0.004)) {
        if (m.sender === '') { this.sentLine(t, m, r, relay, `250 2.0.0 <${r.addr}> Saved`, 'postfix/lmtp'); return 'done'; }
        this.bounceLine(t, m, r, relay, '5.2.2', `host ${relay} said: 552 5.2.2 <${r.addr}> Quota exceeded (mailbox for user is full) (in reply to end of DATA command)`, 'postfix/lmtp');
        return 'done';
      }
      this.sentLine(t, m, r, relay, `250 2.0.0 <${r.addr}> ${m.qid.toLowerCase().slice(0, 6)}Saved`, 'postfix/lmtp');
      return 'done';
    }
    if (r.kind === 'forward') {
      const nq = this.qid();
      this.line(t, 'postfix/local', this.pid(), `${m.qid}: to=<${r.addr}>, relay=local, ${this.delayStr(m, t)}, dsn=2.0.0, status=sent (forwarded as ${nq})`);
      this.truth.forwarded++;
      r.done = true;
      const p = this.providerOf('gmail.com');
      const fwd: Msg = { qid: nq, sender: m.sender, size: m.size + 400, rcpts: [{ addr: this.remoteAddr(p), done: false, attempts: 0, kind: 'remote' }], born: t, deferred: false, account: null };
      this.line(t, 'postfix/cleanup', this.pid(), `${nq}: message-id=<${m.qid.toLowerCase()}@fwd.${LOCAL}>`);
      this.line(t, 'postfix/qmgr', 2201, `${nq}: from=<${fwd.sender}>, size=${fwd.size}, nrcpt=1 (queue active)`);
      this.at(t + 0.5, () => this.attempt(t + 0.5, fwd));
      return 'done';
    }
    const domain = r.addr.slice(r.addr.indexOf('@') + 1);
    const p = this.providerOf(domain);
    const relay = `${p.mx}[${p.ip}]:25`;
    const hours = t / 3600;
    if (this.deadDomains.includes(domain)) {
      this.line(t, 'postfix/smtp', this.pid(), `connect to ${p.mx}[${p.ip}]:25: Connection timed out`);
      this.truth.connectionFailures++;
      this.deferLine(t, m, r, 'none', '4.4.1', `connect to ${p.mx}[${p.ip}]:25: Connection timed out`);
      return 'retry';
    }
    if (domain === INCIDENT.domain && hours >= INCIDENT.fromHour && hours < INCIDENT.toHour && m.sender.endsWith(LOCAL)) {
      this.bounceLine(t, m, r, relay, '5.7.26', `host ${relay.replace(':25', '')} said: 550-5.7.26 Unauthenticated email from ${LOCAL} is not accepted due to domain's 550-5.7.26 DMARC policy. Please contact the administrator of ${LOCAL} domain if 550-5.7.26 this was a legitimate mail. To learn about the DMARC initiative, go to 550 5.7.26  https://support.google.com/mail/?p=DmarcRejection ${m.qid.toLowerCase()}.${Math.floor(this.rnd() * 1e6)} - gsmtp (in reply to end of DATA command)`);
      return 'done';
    }
    if (this.greylisting.has(domain) && r.attempts === 1) {
      this.deferLine(t, m, r, relay, '4.2.0', `host ${p.mx}[${p.ip}] said: 450 4.2.0 <${r.addr}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/${domain}.html (in reply to RCPT TO command)`);
      return 'retry';
    }
    if (domain === 'yahoo.com' && this.chance(0.15)) {
      this.deferLine(t, m, r, relay, '4.7.0', `host ${p.mx}[${p.ip}] said: 421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes (in reply to MAIL FROM command)`);
      return 'retry';
    }
    const u = this.rnd();
    const badAccount = m.account === COMPROMISED && hours >= 27 && hours < 28;
    if (u < (badAccount ? 0.4 : 0.015)) {
      const text = domain === 'gmail.com'
        ? `host ${p.mx}[${p.ip}] said: 550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. For more information, go to 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser ${m.qid.toLowerCase()}.${Math.floor(this.rnd() * 1e6)} - gsmtp (in reply to RCPT TO command)`
        : domain.endsWith('outlook.com') || domain === 'hotmail.com'
          ? `host ${p.mx}[${p.ip}] said: 550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [${domain.toUpperCase()}] (in reply to RCPT TO command)`
          : `host ${p.mx}[${p.ip}] said: 550 5.1.1 <${r.addr}>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)`;
      this.bounceLine(t, m, r, relay, '5.1.1', text);
      return 'done';
    }
    if (u < 0.02) {
      this.deferLine(t, m, r, relay, '4.2.2', `host ${p.mx}[${p.ip}] said: 452 4.2.2 The email account that you tried to reach is over quota. (in reply to RCPT TO command)`);
      return r.attempts >= 3 ? (this.sentLine(t + 1, m, r, relay, '250 2.0.0 OK'), 'done') : 'retry';
    }
    this.sentLine(t, m, r, relay, domain === 'gmail.com' ? `250 2.0.0 OK  ${Math.floor(1.7e9 + t)} ${m.qid.toLowerCase().slice(0, 8)}si.${Math.floor(this.rnd() * 1e4)} - gsmtp` : `250 2.0.0 Ok: queued as ${Math.floor(this.rnd() * 1e12).toString(36)}`);
    return 'done';
  }

  private notify(t: number, m: Msg, kind: 'non-delivery'): void {
    const nq = this.qid();
    this.line(t, 'postfix/bounce', this.pid(), `${m.qid}: sender ${kind} notification: ${nq}`);
    this.line(t, 'postfix/cleanup', this.pid(), `${nq}: message-id=<${nq}@${HOST}.${LOCAL}>`);
    const local = m.sender.endsWith('@' + LOCAL);
    const n: Msg = {
      qid: nq, sender: '', size: 3000 + Math.floor(this.rnd() * 4000),
      rcpts: [{ addr: m.sender, done: false, attempts: 0, kind: local ? 'local' : 'remote' }], born: t, deferred: false, account: null,
    };
    this.line(t, 'postfix/qmgr', 2201, `${nq}: from=<>, size=${n.size}, nrcpt=1 (queue active)`);
    this.at(t + 0.3, () => this.attempt(t + 0.3, n));
  }

  private expire(t: number, m: Msg): void {
    this.line(t, 'postfix/qmgr', 2201, `${m.qid}: from=<${m.sender}>, status=expired, returned to sender`);
    this.truth.expired++;
    if (m.sender !== '') this.notify(t, m, 'non-delivery');
    this.line(t, 'postfix/qmgr', 2201, `${m.qid}: removed`);
  }

  private reject(t: number): void {
    const ip = this.clientIp();
    const client = this.chance(0.6) ? `unknown[${ip}]` : `host-${ip.replace(/\./g, '-')}.dyn.example.org[${ip}]`;
    const pid = this.pid();
    this.line(t, 'postfix/smtpd', pid, `connect from ${client}`);
    const u = this.rnd();
    const from = `${this.pick(['promo', 'news', 'x'])}${Math.floor(this.rnd() * 999)}@${this.pick(['spam.example', 'bulk.example', 'cheap.example'])}`;
    let text: string;
    let to = this.localUser();
    if (u < 0.4) text = `554 5.7.1 Service unavailable; Client host [${ip}] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/${ip}`;
    else if (u < 0.7) text = `550 5.1.1 <${to}>: Recipient address rejected: User unknown in virtual mailbox table`;
    else if (u < 0.85) { to = `someone@${this.pick(['victim.example', 'target.example'])}`; text = `554 5.7.1 <${to}>: Relay access denied`; }
    else if (u < 0.95) text = `450 4.7.1 <${client.split('[')[0]}>: Helo command rejected: Host not found`;
    else {
      // A reject_warning from a policy in warn-only mode.
      this.line(t, 'postfix/smtpd', pid, `NOQUEUE: reject_warning: RCPT from ${client}: 450 4.7.1 Client host rejected: cannot find your reverse hostname, [${ip}]; from=<${from}> to=<${to}> proto=ESMTP helo=<ylmf-pc>`);
      this.truth.rejectWarnings++;
      this.line(t + 1, 'postfix/smtpd', pid, `disconnect from ${client} ehlo=1 mail=1 rcpt=1 quit=1 commands=4`);
      return;
    }
    this.line(t, 'postfix/smtpd', pid, `NOQUEUE: reject: RCPT from ${client}: ${text}; from=<${from}> to=<${to}> proto=ESMTP helo=<${this.pick(['ylmf-pc', 'WIN-3VB1', 'localhost', 'mail.bulk.example'])}>`);
    this.truth.rejected++;
    this.line(t + 1, 'postfix/smtpd', pid, `disconnect from ${client} ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4`);
  }

  private saslFailure(t: number, ip: string, user: string): void {
    const pid = this.pid();
    this.line(t, 'postfix/smtpd', pid, `connect from unknown[${ip}]`);
    this.line(t, 'postfix/smtpd', pid, `warning: unknown[${ip}]: SASL LOGIN authentication failed: UGFzc3dvcmQ6, sasl_username=${user}`);
    this.truth.authFailures++;
    this.line(t + 1, 'postfix/smtpd', pid, `disconnect from unknown[${ip}] ehlo=1 auth=0/1 quit=1 commands=2/3`);
  }

  private arrival(t: number): void {
    if (this.truth.lines >= this.opts.lines) { this.stopArrivals = true; return; }
    const hours = t / 3600;
    const u = this.rnd();
    if (u < 0.42) this.inbound(t);
    else if (u < 0.8) this.submission(t, this.chance(0.002) ? COMPROMISED : `${this.pick(['sales', 'ops', 'hr', 'dev', 'it'])}${Math.floor(this.rnd() * 400)}@${LOCAL}`);
    else if (u < 0.83) this.pickup(t);
    else if (u < 0.97) this.reject(t);
    else this.saslFailure(t, this.clientIp(), `${this.pick(['admin', 'info', 'test', 'sales1'])}@${LOCAL}`);
    // Password guessing from one address for two hours; a mail burst from one account for an hour.
    if (hours >= 20 && hours < 22 && this.chance(0.3)) this.saslFailure(t, BRUTE_FORCE_IP, `${this.pick(['admin', 'root', 'postmaster', 'info', 'office'])}@${LOCAL}`);
    const gap = -Math.log(1 - this.rnd()) * this.meanGap * (0.6 + 0.8 * Math.abs(Math.sin((hours / 24) * Math.PI)));
    const next = t + gap;
    this.at(next, () => this.arrival(next));
  }

  /** Runs the simulation to the end; returns the ground truth. */
  run(): GroundTruth {
    this.at(0, () => this.arrival(0));
    // The compromised account: 150 messages to 1–3 recipients each within one hour (scale-independent).
    for (let i = 0; i < 150; i++) {
      const t = 27 * 3600 + i * 23 + this.rnd() * 20;
      this.at(t, () => this.submission(t, COMPROMISED, 1 + Math.floor(this.rnd() * 3)));
    }
    while (this.agenda.size > 0) this.agenda.pop()();
    this.flush();
    const tr = this.truth;
    tr.senders = this.senders.size;
    tr.sendingHosts = this.sendingHosts.size;
    tr.recipients = this.recipients.size;
    tr.recipientHosts = this.recipientHosts.size;
    return tr;
  }
}

/** Writes a generated log to `path`; returns the ground truth. */
export function writePostfixLog(path: string, opts: GenOptions): GroundTruth {
  const fd = openSync(path, 'w');
  try {
    return new PostfixLogGenerator(opts, (chunk) => { writeSync(fd, chunk); }).run();
  } finally {
    closeSync(fd);
  }
}

/** Generates a log in memory (small sizes, for tests). */
export function generatePostfixLog(opts: GenOptions): { text: string; truth: GroundTruth } {
  const parts: string[] = [];
  const truth = new PostfixLogGenerator(opts, (c) => parts.push(c)).run();
  return { text: parts.join(''), truth };
}
