// CSV exports: Exchange message tracking logs ("#Fields:" header; also the SMTP protocol log) and
// Microsoft 365 message trace exports (EAC / Get-MessageTrace columns, or the historical search
// report's snake_case columns). Columns are found by name, so column order does not matter.
import { DeliveryRec, type Tally } from '../tally.js';
import { clientDomain, own } from '../addr.js';
import { parseLooseTime } from '../time.js';
import type { Shard } from '../shard.js';

export type CsvKind = 'exchange' | 'm365';

const norm = (h: string): string => h.trim().replace(/^"|"$/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');

/** Splits one CSV record (RFC 4180 quoting, no embedded newlines). */
export function splitCsv(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (i <= n) {
    if (line.charCodeAt(i) === 34) {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) { v += line.slice(i); i = n; break; }
        v += line.slice(i, q);
        if (line.charCodeAt(q + 1) === 34) { v += '"'; i = q + 2; continue; }
        i = q + 1;
        break;
      }
      out.push(v);
      const c = line.indexOf(',', i);
      i = c < 0 ? n + 1 : c + 1;
    } else {
      const c = line.indexOf(',', i);
      out.push(line.slice(i, c < 0 ? n : c));
      i = c < 0 ? n + 1 : c + 1;
    }
  }
  return out;
}

const EXCHANGE_PROTOCOL = ['datetime', 'connectorid', 'sessionid', 'sequencenumber', 'localendpoint', 'remoteendpoint', 'event', 'data', 'context'];

/** Recognises a header line; for a header-less Exchange protocol log line returns its kind too. */
export function csvHeaderKind(s: string, a: number, b: number): CsvKind | null {
  if (s.startsWith('#Fields:', a)) return 'exchange';
  const head = s.slice(a, Math.min(b, a + 400)).toLowerCase();
  if (/^"?(origin_timestamp_utc|received|date_time_utc|date|timestamp)"?,/.test(head) && /sender_?address|senderaddress/.test(head) && /recipient|status/.test(head)) return 'm365';
  return null;
}

export class CsvLogParser {
  private readonly col: Map<string, number>;
  private readonly protocol: boolean;
  private readonly rec = new DeliveryRec();
  private readonly seenMsgs = new Set<string>();
  private readonly deferredMsgs = new Set<string>();

  constructor(private readonly tally: Tally, private readonly shard: Shard, readonly kind: CsvKind, header: string) {
    const fields = kind === 'exchange' ? header.replace(/^#Fields:\s*/, '').split(',') : splitCsv(header);
    this.col = new Map(fields.map((f, i) => [norm(f), i]));
    this.protocol = this.col.has('event') && this.col.has('sessionid');
  }

  /** A parser for header-less Exchange SMTP protocol logs (default column order). */
  static protocolLog(tally: Tally, shard: Shard): CsvLogParser {
    return new CsvLogParser(tally, shard, 'exchange', '#Fields: ' + EXCHANGE_PROTOCOL.join(','));
  }

  private get(row: string[], ...names: string[]): string {
    for (const n of names) {
      const i = this.col.get(n);
      if (i !== undefined && row[i] !== undefined && row[i] !== '') return row[i]!;
    }
    return '';
  }

  /** False when the line is not a record of this export (the caller then tries other formats). */
  line(s: string, a: number, b: number): boolean {
    if (s.charCodeAt(a) === 35) { if (this.shard.ownsLine()) this.tally.parsedLines++; return true; } // #Software, #Date, …
    const raw = s.slice(a, b);
    const row = splitCsv(raw);
    if (row.length < Math.min(4, this.col.size)) return false;
    const t = parseLooseTime(this.get(row, 'datetime', 'origintimestamputc', 'received', 'datetimeutc', 'date', 'timestamp'));
    if (Number.isNaN(t)) return false;
    const id = this.get(row, 'internalmessageid', 'messagetraceid', 'networkmessageid', 'messageid');
    if (!(id ? this.shard.ownsKey(id, 0, id.length) : this.shard.ownsLine())) return true;
    this.tally.seen(t);
    this.tally.parsedLines++;
    if (this.protocol) this.protocolRow(row, t, raw);
    else if (this.kind === 'exchange') this.trackingRow(row, t, raw);
    else this.traceRow(row, t, raw);
    return true;
  }

  private protocolRow(row: string[], t: number, raw: string): void {
    const data = this.get(row, 'data');
    const remote = this.get(row, 'remoteendpoint');
    const ip = remote.replace(/^\[?([^\]]*?)\]?:\d+$/, '$1');
    if (/^535[ -]/.test(data)) this.tally.authFailure(t, ip, null, raw);
    else if (/^5\d\d[ -]/.test(data) && !/^5\d\d[ -]5\.7\.3/.test(data)) this.tally.reject('reject', t, ip, '', '', data, raw);
  }

  private trackingRow(row: string[], t: number, raw: string): void {
    const event = this.get(row, 'eventid').toUpperCase();
    const msgId = this.get(row, 'internalmessageid', 'messageid');
    const sender = this.get(row, 'senderaddress', 'returnpath');
    const size = Number(this.get(row, 'totalbytes')) || 0;
    const rcpts = this.get(row, 'recipientaddress').split(';').filter(Boolean);
    const status = this.get(row, 'recipientstatus');
    const tally = this.tally;
    switch (event) {
      case 'RECEIVE': {
        if (this.firstTime(msgId)) {
          tally.receivedMsg(t);
          const host = this.get(row, 'clienthostname') || '';
          tally.receivedSender(t, sender === '<>' ? '' : sender, size, clientDomain(`${host}[${this.get(row, 'clientip')}]`), rcpts.length || 1, null);
        }
        return;
      }
      case 'DELIVER': case 'SEND': return this.deliveries(rcpts, 'sent', t, msgId, sender, size, '', raw, this.get(row, 'serverhostname'));
      case 'DEFER': return this.deliveries(rcpts, 'deferred', t, msgId, sender, size, status, raw, this.get(row, 'serverhostname'));
      case 'FAIL': return this.deliveries(rcpts, 'bounced', t, msgId, sender, size, status, raw, this.get(row, 'serverhostname'));
      case 'DROP': tally.reject('discard', t, '', sender, rcpts[0] ?? '', status, raw); return;
      default: return;
    }
  }

  private traceRow(row: string[], t: number, raw: string): void {
    const msgId = this.get(row, 'messagetraceid', 'networkmessageid', 'messageid');
    const sender = this.get(row, 'senderaddress');
    let rcpt = this.get(row, 'recipientaddress');
    let status = this.get(row, 'status', 'deliverystatus');
    let detail = this.get(row, 'detail', 'statusdetail', 'reason');
    const rs = this.get(row, 'recipientstatus');
    if (rs) {
      // "user@x.com##Receive, Fail;other@y.com##Receive, Deliver"
      const first = rs.split(';')[0] ?? '';
      const [addr, events] = first.split('##');
      if (!rcpt) rcpt = addr ?? '';
      const last = (events ?? '').split(',').map((x) => x.trim()).pop() ?? '';
      if (!status) status = last;
      if (!detail && /\d\.\d\.\d/.test(rs)) detail = rs;
    }
    const size = Number(this.get(row, 'size', 'totalbytes')) || 0;
    if (this.firstTime(msgId || raw)) {
      this.tally.receivedMsg(t);
      this.tally.receivedSender(t, sender, size, this.get(row, 'fromip', 'originalclientip'), 1, null);
    }
    const st = status.toLowerCase();
    const kind = st.startsWith('deliver') ? 'sent' : st.startsWith('fail') ? 'bounced' : st.startsWith('pending') || st.startsWith('defer') ? 'deferred' : null;
    if (kind) this.deliveries([rcpt], kind, t, msgId, sender, size, detail || status, raw, this.get(row, 'toip'));
    else if (/quarantin|filteredasspam|spam/.test(st)) this.tally.reject('hold', t, '', sender, rcpt, status, raw);
  }

  private firstTime(id: string): boolean {
    if (!id) return true;
    if (this.seenMsgs.has(id)) return false;
    if (this.seenMsgs.size > 500_000) this.seenMsgs.clear();
    this.seenMsgs.add(own(id));
    return true;
  }

  private deliveries(rcpts: string[], status: 'sent' | 'deferred' | 'bounced', t: number, id: string, sender: string, size: number, reason: string, raw: string, relay: string): void {
    const r = this.rec;
    r.t = t; r.qid = id; r.sender = sender || null; r.size = size; r.relay = relay; r.delay = NaN; r.status = status;
    r.dsn = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(reason)?.[1] ?? '';
    r.reason = reason; r.line = status === 'sent' ? '' : raw; r.firstDeferral = false;
    if (status === 'deferred' && !this.deferredMsgs.has(id)) {
      r.firstDeferral = true;
      if (this.deferredMsgs.size > 500_000) this.deferredMsgs.clear();
      this.deferredMsgs.add(own(id));
    }
    for (const rc of rcpts) {
      r.recipient = rc;
      this.tally.delivery(r);
      r.firstDeferral = false;
    }
  }
}
