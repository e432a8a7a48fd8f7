// The syslog envelope: "Nov 30 15:56:49 host prog/name[pid]: message" (classic) or
// "2024-08-29T01:08:59.764590+00:00 host prog[pid]: message" (RFC 3339), also with FreeBSD
// syslogd's "<facility.level>" before the host (-v) and Solaris's "[ID 123456 mail.info]" before
// the message. Parsing writes into one reused header object so the hot path allocates nothing.
import { SyslogClock, isoEnd, parseIso } from '../time.js';

export interface SyslogHeader {
  t: number;
  /** program tag start/end (end excludes "[pid]") */
  prog: number;
  progEnd: number;
  /** last '/' in the tag before the pid, -1 if none */
  slash: number;
  /** message start (after "]: ") */
  msg: number;
}

export class SyslogEnvelope {
  readonly h: SyslogHeader = { t: 0, prog: 0, progEnd: 0, slash: -1, msg: 0 };
  constructor(readonly clock: SyslogClock) {}

  /** False when the line has no syslog envelope. */
  parse(s: string, a: number, b: number): boolean {
    const c = s.charCodeAt(a);
    let p: number;
    let t: number;
    if (c >= 65 && c <= 90) {
      t = this.clock.classic(s, a);
      p = this.clock.end + 1;
    } else if (c >= 48 && c <= 57) {
      t = parseIso(s, a);
      p = isoEnd.value + 1;
      if (s.charCodeAt(p - 1) !== 32) return false;
    } else return false;
    if (Number.isNaN(t) || p >= b) return false;
    if (s.charCodeAt(p) === 60 /* < */) {
      const gt = s.indexOf('> ', p);
      if (gt > 0 && gt < b) p = gt + 2;
    }
    const sp = s.indexOf(' ', p);
    if (sp < 0 || sp >= b) return false;
    const prog = sp + 1;
    // the tag "prog/name[pid]:" ends at the next space; '[' and '/' are found walking back from
    // its end (a few characters) rather than forward over every character of it
    let e = s.indexOf(' ', prog);
    if (e < 0 || e > b) e = b;
    if (s.charCodeAt(e - 1) !== 58 /* : */) return false;
    let progEnd = e - 1;
    if (s.charCodeAt(progEnd - 1) === 93 /* ] */) {
      let br = progEnd - 2;
      while (br > prog && s.charCodeAt(br) !== 91) br--;
      if (br > prog) progEnd = br;
    }
    let slash = progEnd - 1;
    while (slash > prog && s.charCodeAt(slash) !== 47) slash--;
    if (slash <= prog) slash = -1;
    const h = this.h;
    h.t = t;
    h.prog = prog;
    h.progEnd = progEnd;
    h.slash = slash;
    let msg = e + 1;
    if (s.charCodeAt(msg) === 91 /* [ */ && s.startsWith('[ID ', msg)) {
      const close = s.indexOf('] ', msg);
      if (close > 0 && close < b) msg = close + 2;
    }
    h.msg = msg;
    return true;
  }
}
