// Lines → format-specific parser → Tally. One LogAnalyzer per thread; with a Shard it handles
// only the lines it owns (see shard.ts), so partial tallies of several workers add up exactly.
import { Tally } from './tally.js';
import { SyslogClock } from './time.js';
import { SyslogEnvelope } from './parsers/syslog.js';
import { PostfixParser, type DeferredLine } from './parsers/postfix.js';
import { PostfixFastPath } from './parsers/postfix-fast.js';
import { SendmailParser } from './parsers/sendmail.js';
import { EximParser } from './parsers/exim.js';
import { CsvLogParser, csvHeaderKind } from './parsers/csvlogs.js';
import { Shard } from './shard.js';

export const LOG_FORMATS = ['auto', 'postfix', 'exim', 'sendmail', 'exchange', 'm365'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Longest line prefix a parser looks at; the rest of a longer line is ignored (and counted). */
const MAX_PARSE = 64 * 1024;

export interface AnalyzerOptions {
  format?: LogFormat;
  /** year for classic syslog stamps without one (default: this year) */
  year?: number;
  part?: number;
  parts?: number;
  /**
   * A worker analysing a byte range that starts mid-file: the clock as it stood at the range's
   * start, and a line-number base above any line number of the part before (ordering only).
   */
  midFile?: { clock: { year: number; lastMonth: number }; lineBase: number };
  /** false: every line goes through the string parsers (the fast path's equivalence tests) */
  fastPath?: boolean;
}

const FORMAT_NAMES = ['postfix', 'sendmail', 'exim', 'exchange', 'm365'] as const;
const F_POSTFIX = 0, F_SENDMAIL = 1, F_EXIM = 2;

export class LogAnalyzer {
  readonly tally = new Tally();
  readonly shard: Shard;
  private readonly format: LogFormat;
  private readonly env: SyslogEnvelope;
  private readonly postfix: PostfixParser;
  private readonly sendmail: SendmailParser;
  private readonly exim: EximParser;
  /** byte-level Postfix lines (postfix-fast.ts); null where it does not apply */
  readonly fast: PostfixFastPath | null;
  private csv: CsvLogParser | null = null;
  readonly files: { name: string; bytes: number; format: string }[] = [];
  private fileFormats = new Float64Array(FORMAT_NAMES.length);

  constructor(opts: AnalyzerOptions = {}) {
    this.format = opts.format ?? 'auto';
    this.shard = new Shard(opts.part ?? 0, opts.parts ?? 1);
    const mid = opts.midFile;
    this.env = new SyslogEnvelope(mid ? new SyslogClock(mid.clock.year, mid.clock.lastMonth) : new SyslogClock(opts.year ?? new Date().getUTCFullYear()));
    this.postfix = new PostfixParser(this.tally, this.shard);
    if (mid) {
      this.shard.lineNo = mid.lineBase;
      this.postfix.deferOrphans();
    }
    this.sendmail = new SendmailParser(this.tally, this.shard);
    this.exim = new EximParser(this.tally, this.shard);
    // the fast path counts every line it reads: not for sharded workers, which own only some lines
    const fast = opts.fastPath !== false && (this.format === 'auto' || this.format === 'postfix') && this.shard.parts === 1;
    this.fast = fast ? new PostfixFastPath(this.tally, this.postfix, this.env.clock) : null;
  }

  beginFile(): void {
    this.csv = null;
    this.fileFormats.fill(0);
  }

  endFile(name: string, bytes: number): void {
    const present = FORMAT_NAMES.map((f, i) => [f, this.fileFormats[i]!] as const).filter(([, n]) => n > 0);
    for (const [f, n] of present) this.tally.formats.set(f, (this.tally.formats.get(f) ?? 0) + n);
    this.files.push({ name, bytes, format: present.map(([f]) => f).join('+') || 'unknown' });
  }

  /** Feeds a chunk of whole lines (the final chunk may end without a newline). */
  feed(buf: Buffer): void {
    const n = buf.length;
    let p = 0;
    const tally = this.tally;
    const shard = this.shard;
    // the event sink wants every delivery as an object: only the string parsers make them
    const fast = tally.onDelivery ? null : this.fast;
    while (p < n) {
      let nl = buf.indexOf(10, p);
      if (nl < 0) nl = n;
      let e = nl;
      if (e > p && buf[e - 1] === 13) e--;
      tally.at = ++shard.lineNo;
      const mine = shard.ownsLine();
      if (mine) tally.lines++;
      if (e === p) { if (mine) tally.emptyLines++; }
      else {
        if (e - p > MAX_PARSE) { e = p + MAX_PARSE; if (mine) tally.truncatedLines++; }
        const fastLine = fast !== null && this.csv === null;
        if (fastLine && fast.line(buf, p, e)) this.fileFormats[F_POSTFIX]!++;
        else {
          const s = buf.toString('utf8', p, e);
          const h = fastLine ? fast.envelope(buf) : null;
          if (h) { // a Postfix line whose envelope the fast path read already
            this.postfix.line(s, 0, s.length, h);
            this.fileFormats[F_POSTFIX]!++;
          } else this.line(s, 0, s.length);
        }
      }
      p = nl + 1;
    }
  }

  /** Postfix lines this mid-file worker deferred (see PostfixParser.deferred). */
  get deferred(): { lines: DeferredLine[]; bytes: number } {
    return { lines: this.postfix.deferred, bytes: this.postfix.deferredBytes };
  }

  /**
   * Replays the lines the worker for the next part deferred, after this thread's own part: they
   * belong to messages whose state is here. Their timestamps were already counted there.
   */
  replay(lines: DeferredLine[]): void {
    this.postfix.replaying = true;
    try {
      for (const l of lines) {
        this.tally.at = l.at;
        if (this.env.parse(l.text, 0, l.text.length)) this.postfix.line(l.text, 0, l.text.length, this.env.h);
      }
    } finally {
      this.postfix.replaying = false;
    }
  }

  private count(f: number): void {
    if (this.shard.ownsLine()) this.fileFormats[f]!++;
  }

  private unparsed(program: string, s: string, a: number, b: number): void {
    if (this.shard.ownsLine()) this.tally.unparsedLine(program, s.slice(a, b));
  }

  private line(s: string, a: number, b: number): void {
    const format = this.format;
    if (this.csv) {
      if (this.csv.line(s, a, b)) { this.count(FORMAT_NAMES.indexOf(this.csv.kind)); return; }
    }
    const c = s.charCodeAt(a);
    if (c === 35 /* # */ || c === 34 /* " */ || (c >= 97 && c <= 122) || (c >= 65 && c <= 90 && s.charCodeAt(a + 3) !== 32)) {
      const kind = csvHeaderKind(s, a, b);
      if (kind && (format === 'auto' || format === kind)) {
        this.csv = new CsvLogParser(this.tally, this.shard, kind, s.slice(a, b));
        if (this.shard.ownsLine()) this.tally.parsedLines++;
        return;
      }
      if (c === 35) { if (this.shard.ownsLine()) this.tally.parsedLines++; return; } // other '#' header lines of tracking logs
    }
    if (c >= 48 && c <= 57 && s.charCodeAt(a + 10) === 32 && s.charCodeAt(a + 4) === 45) {
      if ((format === 'auto' || format === 'exim') && this.exim.line(s, a, b)) { this.count(F_EXIM); return; }
      this.unparsed('(unrecognised)', s, a, b);
      return;
    }
    if (c >= 48 && c <= 57 && s.charCodeAt(a + 10) === 84 && (format === 'auto' || format === 'exchange')) {
      // header-less Exchange SMTP protocol log: "2022-07-20T21:12:06.270Z,connector,session,…"
      const comma = s.indexOf(',', a);
      const sp = s.indexOf(' ', a);
      if (comma > 0 && comma < b && (sp < 0 || sp > comma)) {
        this.csv = CsvLogParser.protocolLog(this.tally, this.shard);
        if (this.csv.line(s, a, b)) { this.count(FORMAT_NAMES.indexOf('exchange')); return; }
      }
    }
    if (!this.env.parse(s, a, b)) {
      this.unparsed('(no syslog header)', s, a, b);
      return;
    }
    const h = this.env.h;
    if ((format === 'auto' || format === 'postfix') && isPostfixTag(s, h.prog)) {
      this.postfix.line(s, a, b, h);
      this.count(F_POSTFIX);
      return;
    }
    if ((format === 'auto' || format === 'sendmail') && SendmailParser.isProgram(s, h.prog, h.progEnd)) {
      this.sendmail.line(s, a, b, h);
      this.count(F_SENDMAIL);
      return;
    }
    if ((format === 'auto' || format === 'exim') && s.startsWith('exim', h.prog)) {
      if (this.exim.line(s, h.msg, b, h.t)) { this.count(F_EXIM); return; }
    }
    this.unparsed(s.slice(h.prog, h.progEnd), s, a, b);
  }
}

/** "postfix…" at p, compared by char codes (this runs for every line). */
function isPostfixTag(s: string, p: number): boolean {
  return s.charCodeAt(p) === 112 && s.charCodeAt(p + 1) === 111 && s.charCodeAt(p + 2) === 115 && s.charCodeAt(p + 3) === 116
    && s.charCodeAt(p + 4) === 102 && s.charCodeAt(p + 5) === 105 && s.charCodeAt(p + 6) === 120;
}
