// Sendmail (sendmail, sm-mta, sm-msp-queue …): "QID: from=<s>, size=N, …" when a message is
// accepted, "QID: to=<a>,<b>, delay=…, mailer=…, relay=…, dsn=X.Y.Z, stat=…" per delivery attempt,
// "ruleset=check_*, arg1=…, relay=…, reject=…" for refusals, "AUTH failure" for bad logins.
import { DeliveryRec, type Tally } from '../tally.js';
import { clientDomain, own, rejectClient } from '../addr.js';
import type { SyslogHeader } from './syslog.js';
import type { Shard } from '../shard.js';

interface SmMsg { sender: string; size: number; deferred: boolean }
const MAX_OPEN = 200_000;
const PROGRAMS = ['sendmail', 'sm-mta', 'sm-msp-queue', 'sm-acceptingconnections', 'sm-'];

export class SendmailParser {
  private readonly open = new Map<string, SmMsg>();
  private readonly rec = new DeliveryRec();
  constructor(private readonly tally: Tally, private readonly shard: Shard) {}

  static isProgram(s: string, p: number, e: number): boolean {
    for (const name of PROGRAMS) if (s.startsWith(name, p) && (name.endsWith('-') || p + name.length === e)) return true;
    return false;
  }

  line(s: string, a: number, b: number, h: SyslogHeader): void {
    const tally = this.tally;
    const t = h.t;
    const line = s.slice(a, b);
    let msg = s.slice(h.msg, b);
    let qid = '';
    const m = /^([A-Za-z0-9]{8,20}): /.exec(msg);
    if (m) { qid = m[1]!; msg = msg.slice(m[0].length); }
    if (!(qid ? this.shard.ownsKey(qid, 0, qid.length) : this.shard.ownsLine())) return;
    tally.seen(t);
    tally.parsedLines++;
    if (msg.startsWith('from=')) return this.from(qid, msg, t);
    if (msg.startsWith('to=')) return this.to(qid, msg, t, line);
    if (msg.startsWith('ruleset=') || msg.includes(', reject=')) return this.reject(msg, t, line);
    const auth = /AUTH failure \([^)]*\):.*?(?:user=([^,\s]+))?.*?relay=(?:\S+ )?\[?([0-9a-fA-F.:]+)\]?/.exec(msg);
    if (auth) { tally.authFailure(t, auth[2]!, auth[1] ?? null, line); return; }
    const attack = /\[([0-9a-fA-F.:]+)\](?: \(may be forged\))?: possible SMTP attack: command=AUTH/.exec(msg);
    if (attack) { tally.authFailure(t, attack[1]!, null, line); return; }
    if (/^(?:[A-Za-z0-9]+: )?(?:DSN|postmaster notify|return to sender|sender notify|done|clone|lost input channel|did not issue|timeout waiting|collect|SYSERR|starting daemon|alias database|STARTTLS|AUTH=|discarded|Milter|milter|rejecting commands from|\[|<)/.test(msg)
      || / (?:did not issue MAIL|lost input channel|\[rejected\]|User unknown$)/.test(msg)) {
      if (msg.startsWith('discarded')) tally.reject('discard', t, '', '', '', msg, line);
      return;
    }
    tally.parsedLines--;
    tally.unparsedLine(s.slice(h.prog, h.progEnd), line);
  }

  private from(qid: string, msg: string, t: number): void {
    const sender = unbracket(valueOf(msg, 'from='));
    const size = Number(valueOf(msg, 'size=')) || 0;
    if (!qid || this.open.has(qid)) return;
    if (this.open.size >= MAX_OPEN) this.open.delete(this.open.keys().next().value as string);
    this.open.set(own(qid), { sender: own(sender), size, deferred: false });
    const relay = valueOf(msg, 'relay=');
    const ipm = /\[([^\]]+)\]/.exec(relay);
    const host = relay.split(' ')[0] ?? '';
    this.tally.receivedMsg(t);
    const nrcpts = Number(valueOf(msg, 'nrcpts=')) || 1;
    this.tally.receivedSender(t, sender, size, clientDomain(host && host !== '' ? `${host}[${ipm?.[1] ?? ''}]` : `[${ipm?.[1] ?? ''}]`), nrcpts, null);
  }

  private to(qid: string, msg: string, t: number, line: string): void {
    const st = this.open.get(qid);
    const statAt = msg.indexOf('stat=');
    if (statAt < 0) return;
    const stat = msg.slice(statAt + 5);
    const dsn = valueOf(msg, 'dsn=');
    const toEnd = msg.search(/, (?:ctladdr|delay|xdelay|mailer|pri|relay|dsn|stat)=/);
    const rcpts = splitRecipients(msg.slice(3, toEnd < 0 ? undefined : toEnd));
    const r = this.rec;
    r.t = t; r.qid = qid; r.sender = st ? st.sender : null; r.size = st ? st.size : -1; r.relay = valueOf(msg, 'relay=');
    r.dsn = dsn; r.delay = sendmailDelay(valueOf(msg, 'delay=')); r.line = ''; r.reason = ''; r.firstDeferral = false;
    if (/^Sent\b/.test(stat)) r.status = 'sent';
    else if (/^Deferred\b/.test(stat) || dsn.startsWith('4')) {
      r.status = 'deferred';
      r.reason = stat.replace(/^Deferred: ?/, '');
      r.firstDeferral = st ? !st.deferred : true;
      if (st) st.deferred = true;
    } else if (dsn.startsWith('5') || /^(User unknown|Service unavailable|Host unknown)/.test(stat)) {
      r.status = 'bounced';
      r.reason = (dsn ? dsn + ' ' : '') + stat;
    } else return;
    if (r.status !== 'sent') r.line = line;
    for (const rcpt of rcpts) {
      r.recipient = rcpt;
      this.tally.delivery(r);
      r.firstDeferral = false;
    }
  }

  private reject(msg: string, t: number, line: string): void {
    const rej = msg.indexOf('reject=');
    if (rej < 0) return;
    const text = msg.slice(rej + 7);
    const relay = valueOf(msg, 'relay=');
    const ip = /\[([^\]]+)\]/.exec(relay)?.[1] ?? '';
    const arg1 = unbracket(valueOf(msg, 'arg1='));
    const isRcpt = msg.includes('ruleset=check_rcpt');
    this.tally.reject('reject', t, rejectClient(`${relay.split(' ')[0] ?? ''}[${ip}]`), isRcpt ? '' : arg1, isRcpt ? arg1 : '', text, line);
  }
}

/** "key=value" up to the next ", " (values may contain spaces, e.g. relay=host [ip]). */
function valueOf(msg: string, key: string): string {
  const i = msg.indexOf(key);
  if (i < 0 || (i > 0 && msg[i - 1] !== ' ' && msg[i - 1] !== ',')) return '';
  const e = msg.indexOf(', ', i);
  return msg.slice(i + key.length, e < 0 ? msg.length : e);
}

function unbracket(v: string): string {
  return v.startsWith('<') && v.endsWith('>') ? v.slice(1, -1) : v;
}

function splitRecipients(v: string): string[] {
  return v.split(',').map((x) => unbracket(x.trim())).filter(Boolean);
}

/** "00:00:01" or "1+02:03:04" → seconds. */
function sendmailDelay(v: string): number {
  const m = /^(?:(\d+)\+)?(\d+):(\d+):(\d+)$/.exec(v);
  return m ? Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]) : NaN;
}
