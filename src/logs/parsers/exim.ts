// Exim main log: "YYYY-MM-DD HH:MM:SS [pid] ID <= sender … S=size" (arrival), "=>"/"->"/"*>"
// (delivery), "==" (deferral), "**" (bounce), "Completed"; refusals ("rejected RCPT …") and
// authenticator failures are logged without a message id.
import { DeliveryRec, type Tally } from '../tally.js';
import { clientDomain, own, rejectClient } from '../addr.js';
import { isoEnd, parseIso } from '../time.js';
import type { Shard } from '../shard.js';

interface EximMsg { sender: string; size: number; deferred: boolean }
const MAX_OPEN = 200_000;
const MSG_ID = /^[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}$/;

export class EximParser {
  private readonly open = new Map<string, EximMsg>();
  private readonly rec = new DeliveryRec();
  constructor(private readonly tally: Tally, private readonly shard: Shard) {}

  /**
   * `a` points at Exim's own timestamp, or — for Exim logging through syslog — at the message,
   * with the syslog time given as `syslogT`. False when the line is not Exim's.
   */
  line(s: string, a: number, b: number, syslogT?: number): boolean {
    let t: number;
    let p: number;
    if (syslogT === undefined) {
      t = parseIso(s, a);
      if (Number.isNaN(t)) return false;
      p = isoEnd.value;
      // optional " +0200" zone and " [pid]"
      if (s.charCodeAt(p) === 32 && (s.charCodeAt(p + 1) === 43 || s.charCodeAt(p + 1) === 45) && s.charCodeAt(p + 6) === 32) p += 6;
      if (s.charCodeAt(p) !== 32) return false;
      p++;
    } else {
      t = syslogT;
      p = a;
    }
    if (s.charCodeAt(p) === 91) { const e = s.indexOf('] ', p); if (e > 0 && e < b) p = e + 2; }
    const tally = this.tally;
    const line = s.slice(a, b);
    const rest = s.slice(p, b);
    const sp = rest.indexOf(' ');
    const first = sp < 0 ? rest : rest.slice(0, sp);
    const isMsg = MSG_ID.test(first);
    if (!(isMsg ? this.shard.ownsKey(first, 0, first.length) : this.shard.ownsLine())) return true;
    tally.seen(t);
    tally.parsedLines++;
    if (isMsg) {
      this.message(first, rest.slice(sp + 1), t, line);
      return true;
    }
    const auth = /authenticator failed for (?:.*? )?\[([0-9a-fA-F.:]+)\].*?: 535.*?(?:\(set_id=([^)]*)\))?$/.exec(rest);
    if (auth) { tally.authFailure(t, auth[1]!, auth[2] ?? null, line); return true; }
    const rej = /^(?:H=(.*?) )?(?:\[([0-9a-fA-F.:]+)\](?::\d+)? )?.*?(?:F=<([^>]*)> )?(?:temporarily )?rejected (RCPT|MAIL|after DATA|EHLO or HELO|connection|DATA|VRFY|EXPN)\b ?(?:<([^>]*)>)?:? ?(.*)$/.exec(rest);
    if (rej) {
      const ipm = /\[([0-9a-fA-F.:]+)\]/.exec(rest);
      const ip = ipm?.[1] ?? '';
      const host = (rej[1] ?? '').split(' ')[0] ?? '';
      const kind = /temporarily rejected/.test(rest) ? 'warning' : 'reject';
      tally.reject(kind, t, rejectClient(`${host.replace(/[()]/g, '')}[${ip}]`), rej[3] ?? '', rej[5] ?? '', rej[6] || rest, line);
      return true;
    }
    if (/^(?:H=\S+ (?:\(\S*\) )?\[[^\]]+\](?::\d+)? )?(?:Connection timed out|Connection refused|No route to host)/.test(rest) || / Connection (?:timed out|refused)$/.test(rest)) {
      const host = /H=(\S+)/.exec(rest)?.[1] ?? 'unknown';
      tally.connectionFailure(t, host, rest, line);
      return true;
    }
    if (/^(?:no MAIL in SMTP connection|no IP address found|IP address found|SMTP protocol|Start queue run|End queue run|exim |SMTP connection|SMTP command timeout|no host name found|TLS error|unexpected disconnection|SMTP protocol|SMTP call from|SMTP syntax error|H=|cwd=|\d+ args?:|Warning:|spam acl|LOG:|daemon|Connection from|sender verify|Accepted|fixups|queue_run|msglog|Recipient|Spool|DKIM|dropped|too many|Failed to|failed to|ident|host name|refused|Completed|rejected|Authentication|no immediate delivery|delivering|Message is frozen|Frozen|Unfrozen|\S+: )/.test(rest)) return true;
    tally.parsedLines--;
    tally.unparsedLine('exim', line);
    return true;
  }

  private message(id: string, rest: string, t: number, line: string): void {
    const tally = this.tally;
    const mark = rest.slice(0, 3);
    if (mark === '<= ') {
      const sp = rest.indexOf(' ', 3);
      let sender = rest.slice(3, sp < 0 ? undefined : sp);
      if (sender === '<>') sender = '';
      const size = Number(/ S=(\d+)/.exec(rest)?.[1] ?? 0);
      if (this.open.size >= MAX_OPEN) this.open.delete(this.open.keys().next().value as string);
      this.open.set(own(id), { sender: own(sender), size, deferred: false });
      const h = /H=(\S+)(?: \([^)]*\))? \[([^\]]+)\]/.exec(rest);
      const account = /A=[^:\s]+:(\S+)/.exec(rest)?.[1] ?? null;
      tally.receivedMsg(t);
      tally.receivedSender(t, sender, size, clientDomain(h ? `${h[1]}[${h[2]}]` : 'local'), 1, account === null ? null : tally.accountRef(account));
      return;
    }
    const st = this.open.get(id);
    const r = this.rec;
    r.t = t; r.qid = id; r.sender = st ? st.sender : null; r.size = st ? st.size : -1; r.delay = NaN; r.dsn = '';
    r.line = ''; r.reason = ''; r.firstDeferral = false;
    if (mark === '=> ' || mark === '-> ' || mark === '*> ' || mark === '== ' || mark === '** ') {
      const body = rest.slice(3);
      const sp = body.indexOf(' ');
      let rcpt = sp < 0 ? body : body.slice(0, sp);
      const orig = /^[^ ]+ <([^>]+)>/.exec(body);
      if (orig && !rcpt.includes('@')) rcpt = orig[1]!;
      if (rcpt.endsWith(':')) rcpt = rcpt.slice(0, -1);
      r.recipient = rcpt;
      r.relay = /H=(\S+)(?: \[([^\]]+)\])?/.exec(body)?.[0]?.slice(2) ?? /T=(\S+)/.exec(body)?.[1] ?? '';
      const qt = /QT=(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?/.exec(body);
      if (qt && qt[0].length > 3) r.delay = Number(qt[1] ?? 0) * 3600 + Number(qt[2] ?? 0) * 60 + Number(qt[3] ?? 0);
      if (mark === '== ') {
        r.status = 'deferred';
        r.reason = reasonAfter(body);
        r.firstDeferral = st ? !st.deferred : true;
        if (st) st.deferred = true;
        r.line = line;
      } else if (mark === '** ') {
        r.status = 'bounced';
        r.reason = reasonAfter(body);
        r.line = line;
      } else r.status = 'sent';
      tally.delivery(r);
      return;
    }
    if (rest.startsWith('Completed')) { this.open.delete(id); return; }
    if (/^(?:H=|F=|U=)?.*rejected after DATA/.test(rest) || / rejected /.test(rest)) {
      const ip = /\[([0-9a-fA-F.:]+)\]/.exec(rest)?.[1] ?? '';
      tally.reject('reject', t, rejectClient(`${/H=(\S+)/.exec(rest)?.[1] ?? ''}[${ip}]`), /F=<([^>]*)>/.exec(rest)?.[1] ?? '', '', rest.replace(/^.*?rejected /, ''), line);
      return;
    }
    if (/Message is frozen|retry timeout exceeded|has been frozen/.test(rest) && /timeout|expired/.test(rest)) {
      r.status = 'expired'; r.recipient = ''; r.reason = rest; r.line = line;
      tally.delivery(r);
    }
  }
}

/** The failure text of a "==" or "**" line: after "defer (-N): " or the router/transport fields. */
function reasonAfter(body: string): string {
  const d = /defer \(-?\d+\):? ?(.*)$/.exec(body);
  if (d) return d[1] || body;
  const c = body.indexOf(': ');
  return c >= 0 ? body.slice(c + 2) : body;
}
