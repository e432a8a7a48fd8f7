// The analysis pipeline: chunks of text → lines → format-specific parser → Tally → Report.
// Runs in-process with no server or database; the API's job handler and the CLI both use it.
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Tally, type DeliveryEvent } from './tally.js';
import { SyslogClock } from './time.js';
import { SyslogEnvelope } from './parsers/syslog.js';
import { PostfixParser } from './parsers/postfix.js';
import { SendmailParser } from './parsers/sendmail.js';
import { EximParser } from './parsers/exim.js';
import { CsvLogParser, csvHeaderKind } from './parsers/csvlogs.js';
import { loadEngine } from './classify.js';
import { buildReport, type LogReport, type ReportOptions } from './report.js';
import { openLogFile, readChunks, LogInputError } from './reader.js';

export const LOG_FORMATS = ['auto', 'postfix', 'exim', 'sendmail', 'exchange', 'm365'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Longest line prefix a parser looks at; the rest of a longer line is ignored (and counted). */
const MAX_PARSE = 64 * 1024;

export interface Progress {
  bytes: number;
  totalBytes: number | null;
  lines: number;
}

export interface AnalyzeOptions extends ReportOptions {
  format?: LogFormat;
  /** year for classic syslog stamps without one (default: this year) */
  year?: number;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  onDelivery?: (e: DeliveryEvent) => void;
}

export class LogAnalyzer {
  readonly tally = new Tally();
  private readonly env: SyslogEnvelope;
  private readonly postfix: PostfixParser;
  private readonly sendmail: SendmailParser;
  private readonly exim: EximParser;
  private csv: CsvLogParser | null = null;
  private readonly files: { name: string; bytes: number; format: string }[] = [];
  private fileFormats = new Map<string, number>();

  constructor(private readonly opts: AnalyzeOptions = {}) {
    const year = opts.year ?? new Date().getUTCFullYear();
    this.env = new SyslogEnvelope(new SyslogClock(year));
    this.postfix = new PostfixParser(this.tally);
    this.sendmail = new SendmailParser(this.tally);
    this.exim = new EximParser(this.tally);
    if (opts.onDelivery) this.tally.onDelivery = opts.onDelivery;
  }

  beginFile(): void {
    this.csv = null;
    this.fileFormats = new Map();
  }

  endFile(name: string, bytes: number): void {
    let best = 'unknown';
    let n = 0;
    for (const [f, c] of this.fileFormats) if (c > n) { best = f; n = c; }
    this.files.push({ name, bytes, format: this.fileFormats.size > 1 ? `mixed (mostly ${best})` : best });
    for (const [f, c] of this.fileFormats) this.tally.formats.set(f, (this.tally.formats.get(f) ?? 0) + c);
  }

  /** Feeds a chunk of whole lines (the final chunk may end without a newline). */
  feed(s: string): void {
    const n = s.length;
    let p = 0;
    const tally = this.tally;
    while (p < n) {
      let nl = s.indexOf('\n', p);
      if (nl < 0) nl = n;
      let e = nl;
      if (e > p && s.charCodeAt(e - 1) === 13) e--;
      tally.lines++;
      if (e === p) tally.emptyLines++;
      else {
        if (e - p > MAX_PARSE) { e = p + MAX_PARSE; tally.truncatedLines++; }
        this.line(s, p, e);
      }
      p = nl + 1;
    }
  }

  private count(format: string): void {
    this.fileFormats.set(format, (this.fileFormats.get(format) ?? 0) + 1);
  }

  private line(s: string, a: number, b: number): void {
    const format = this.opts.format ?? 'auto';
    if (this.csv) {
      if (this.csv.line(s, a, b)) { this.count(this.csv.kind); return; }
    }
    const c = s.charCodeAt(a);
    if (c === 35 /* # */ || c === 34 /* " */ || (c >= 97 && c <= 122) || (c >= 65 && c <= 90 && s.charCodeAt(a + 3) !== 32)) {
      const kind = csvHeaderKind(s, a, b);
      if (kind && (format === 'auto' || format === kind)) {
        this.csv = new CsvLogParser(this.tally, kind, s.slice(a, b));
        this.tally.parsedLines++;
        return;
      }
      if (c === 35) { this.tally.parsedLines++; return; } // other '#' header lines of tracking logs
    }
    if (c >= 48 && c <= 57 && s.charCodeAt(a + 10) === 32 && s.charCodeAt(a + 4) === 45) {
      if (format === 'auto' || format === 'exim') {
        if (this.exim.line(s, a, b)) { this.count('exim'); return; }
      }
      this.tally.unparsedLine('(unrecognised)', s.slice(a, b));
      return;
    }
    if (c >= 48 && c <= 57 && s.charCodeAt(a + 10) === 84 && (format === 'auto' || format === 'exchange')) {
      // header-less Exchange SMTP protocol log: "2022-07-20T21:12:06.270Z,connector,session,…"
      const comma = s.indexOf(',', a);
      const sp = s.indexOf(' ', a);
      if (comma > 0 && comma < b && (sp < 0 || sp > comma)) {
        this.csv = CsvLogParser.protocolLog(this.tally);
        if (this.csv.line(s, a, b)) { this.count('exchange'); return; }
      }
    }
    if (!this.env.parse(s, a, b)) {
      this.tally.unparsedLine('(no syslog header)', s.slice(a, b));
      return;
    }
    const h = this.env.h;
    if (s.startsWith('postfix', h.prog) && (format === 'auto' || format === 'postfix')) {
      this.postfix.line(s, a, b, h);
      this.count('postfix');
      return;
    }
    if ((format === 'auto' || format === 'sendmail') && SendmailParser.isProgram(s, h.prog, h.progEnd)) {
      this.sendmail.line(s, a, b, h);
      this.count('sendmail');
      return;
    }
    if ((format === 'auto' || format === 'exim') && s.startsWith('exim', h.prog)) {
      if (this.exim.line(s, h.msg, b)) { this.count('exim'); return; }
    }
    this.tally.unparsedLine(s.slice(h.prog, h.progEnd), s.slice(a, b));
  }

  report(extra: { truncatedGzip?: boolean; oversizedLines?: number } = {}): LogReport {
    return buildReport(this.tally, this.files, { ...this.opts, ...extra, evictedQueueIds: this.postfix.evicted });
  }
}

export interface FileInput {
  name: string;
  stream: Readable;
  size: number | null;
}

/** Analyses one or more inputs into one report. Throws LogInputError for unusable input. */
export async function analyzeInputs(inputs: FileInput[], opts: AnalyzeOptions = {}): Promise<LogReport> {
  await loadEngine();
  const an = new LogAnalyzer(opts);
  const total = inputs.every((i) => i.size !== null) ? inputs.reduce((a, i) => a + (i.size ?? 0), 0) : null;
  let doneBytes = 0;
  let truncatedGzip = false;
  let oversized = 0;
  for (const input of inputs) {
    an.beginFile();
    const st = await readChunks(input.stream, (text) => an.feed(text), {
      signal: opts.signal,
      onProgress: (p) => opts.onProgress?.({ bytes: doneBytes + p.bytesIn, totalBytes: total, lines: an.tally.lines }),
    });
    doneBytes += st.bytesIn;
    truncatedGzip ||= st.truncatedGzip;
    oversized += st.oversizedLines;
    an.endFile(input.name, st.bytes);
  }
  return an.report({ truncatedGzip, oversizedLines: oversized });
}

export async function analyzeFiles(paths: string[], opts: AnalyzeOptions = {}): Promise<LogReport> {
  const inputs: FileInput[] = [];
  for (const p of paths) {
    const st = await stat(p).catch(() => null);
    if (!st) throw new LogInputError(`${p}: no such file`);
    if (!st.isFile()) throw new LogInputError(`${p}: not a regular file`);
    inputs.push({ name: p, stream: openLogFile(p), size: st.size });
  }
  return analyzeInputs(inputs, opts);
}

export { LogInputError };
