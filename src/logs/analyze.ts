// The analysis pipeline: read (plain or gzip) → LogAnalyzer (one thread, or sharded over worker
// threads for large inputs) → merged Tally → Report. Runs in-process with no server or database;
// the API's job handler and the CLI both use it.
import { open, stat } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { LogAnalyzer, LOG_FORMATS, type AnalyzerOptions, type LogFormat } from './analyzer.js';
import { Tally, type DeliveryEvent } from './tally.js';
import type { LogReport, ReportOptions } from './report.js';
import { readChunks, readFileChunks, looksBinary, LogInputError, type ChunkHandler, type ChunkStats } from './reader.js';
import { SyslogClock } from './time.js';
import { workerUrl } from '../core/worker-url.js';
import type { FromWorker, ToWorker } from './worker.js';

export { LOG_FORMATS, LogInputError, type LogFormat };

/** Inputs smaller than this are analysed in the calling thread (workers cost more than they save). */
const PARALLEL_MIN_BYTES = 48 * 1024 * 1024;
const MAX_INFLIGHT = 4;
/**
 * Range mode: the head's share is a little larger. The tail's worker starts ~85 ms later and its
 * result takes ~50 ms to arrive; the replay and the report come after that either way. Measured
 * at 2 M lines on 2 cores (4 runs each): 0.48 → 2.10 s, 0.52 → 2.03 s, 0.55 → 1.96 s, 0.62 → 2.06 s.
 */
const HEAD_SHARE = 0.55;
/** Range mode: past this many bytes of deferred lines the worker gives up and one thread reads the file. */
const MAX_DEFERRED_BYTES = 32 << 20;

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
  /** every parsed delivery (forces single-thread analysis) */
  onDelivery?: (e: DeliveryEvent) => void;
  /** awaited after every ~16 KiB of lines (single thread): lets a consumer of onDelivery write in batches and the event loop turn */
  afterChunk?: () => Promise<void> | void;
  /**
   * threads to use. Default: one, except for inputs over 48 MiB with 4+ cores of which 2 are idle:
   * then a plain Postfix file is read in two byte ranges (this thread and a worker), other input
   * by 2 sharded workers. 2 asks for range mode where the file allows it, else sharded workers.
   */
  threads?: number;
}

/** A log to analyse: a stream, or a file path (read with one reused buffer, see readFileChunks). */
export type FileInput = { name: string; size: number | null } & ({ stream: Readable } | { path: string });

function readInput(input: FileInput, onText: ChunkHandler, opts: Parameters<typeof readChunks>[2]): Promise<ChunkStats> {
  return 'path' in input ? readFileChunks(input.path, onText, opts) : readChunks(input.stream, onText, opts);
}

/**
 * Threads pay only for large inputs and when two cores are actually free. Sharded workers each scan
 * all lines (on 2 cores: 1.7× the CPU of one thread, 225 vs 145 MiB peak RSS). Range mode splits the
 * work, but on these 2 cores the two threads slow each other: at 2 M lines (bench:logs) it took
 * 1.07-1.28 s against one thread's 1.02-1.18 s, for 1.4× the CPU and 137-143 vs 121-125 MiB peak
 * RSS: so it too is the default only with cores to spare.
 */
function chooseThreads(opts: AnalyzeOptions, total: number | null): number {
  if (opts.onDelivery) return 1;
  if (opts.threads !== undefined) return Math.max(1, Math.floor(opts.threads));
  return total !== null && total >= PARALLEL_MIN_BYTES && twoSpareCores() ? 2 : 1;
}

function twoSpareCores(): boolean {
  const cores = availableParallelism();
  return cores >= 4 && loadavg()[0]! < cores - 2;
}

/** Analyses one or more inputs into one report. Throws LogInputError for unusable input. */
export async function analyzeInputs(inputs: FileInput[], opts: AnalyzeOptions = {}): Promise<LogReport> {
  const total = inputs.every((i) => i.size !== null) ? inputs.reduce((a, i) => a + (i.size ?? 0), 0) : null;
  const file = inputs.length === 1 ? inputs[0]! : null;
  if (file && 'path' in file && file.size !== null && wantRanges(opts, file.size)) {
    const plan = await planSplit(file.path, file.size, opts);
    // null: the file did not suit range mode after all; one pass is then cheapest
    if (plan) return (await analyzeRanges(file.name, file.path, file.size, plan, opts)) ?? analyzeSingle(inputs, opts, total);
  }
  const threads = chooseThreads(opts, total);
  return threads > 1 ? analyzeParallel(inputs, opts, total, threads) : analyzeSingle(inputs, opts, total);
}

async function analyzeSingle(inputs: FileInput[], opts: AnalyzeOptions, total: number | null): Promise<LogReport> {
  const an = new LogAnalyzer({ format: opts.format, year: opts.year });
  if (opts.onDelivery) {
    const { FailureClassifier } = await import('./classify.js');
    const classifier = new FailureClassifier();
    an.tally.onDelivery = opts.onDelivery;
    an.tally.classifyNow = (text, dir) => classifier.classify(text, dir);
  }
  let doneBytes = 0;
  let truncatedGzip = false;
  let oversized = 0;
  for (const input of inputs) {
    an.beginFile();
    const after = opts.afterChunk;
    const st = await readInput(input, after ? (chunk) => feedInPieces(an, chunk, after, opts.signal) : (chunk) => { an.feed(chunk); }, {
      signal: opts.signal,
      onProgress: (p) => opts.onProgress?.({ bytes: doneBytes + p.bytesIn, totalBytes: total, lines: an.tally.lines }),
    });
    doneBytes += st.bytesIn;
    truncatedGzip ||= st.truncatedGzip;
    oversized += st.oversizedLines;
    an.endFile(input.name, st.bytes);
  }
  return report(an.tally, an.files, opts, { truncatedGzip, oversizedLines: oversized });
}

/** Bytes fed between two afterChunk calls: with in-process API jobs, the requests' turn comes this often. */
const PIECE = 16 * 1024;

/**
 * Feeds a chunk in pieces of about PIECE bytes cut at line ends, awaiting `after` after each; an
 * abort stops it between pieces (a cancelled job writes nothing more).
 */
async function feedInPieces(an: LogAnalyzer, chunk: Buffer, after: () => Promise<void> | void, signal?: AbortSignal): Promise<void> {
  for (let a = 0; a < chunk.length;) {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    let e = Math.min(chunk.length, a + PIECE);
    if (e < chunk.length) {
      const nl = chunk.lastIndexOf(10, e - 1);
      e = nl >= a ? nl + 1 : chunk.indexOf(10, e) + 1 || chunk.length; // a longer line stays whole
    }
    an.feed(chunk.subarray(a, e));
    const r = after();
    if (r) await r;
    a = e;
  }
}

interface WorkerHandle {
  w: Worker;
  inflight: number;
  waiters: (() => void)[];
  result: Promise<RangeResult>;
}

/** A log worker; `settle` sees each message and may resolve its result. */
function spawnWorker<T>(data: AnalyzerOptions, settle: (m: FromWorker, resolve: (v: T) => void) => void): { w: Worker; result: Promise<T> } {
  // A small young generation: the workers' garbage is short-lived line slices, and every isolate's
  // default nursery would otherwise add tens of MiB to the peak RSS.
  const w = new Worker(workerUrl(import.meta.url, 'worker'), { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  const result = new Promise<T>((resolve, reject) => {
    w.on('message', (m: FromWorker) => settle(m, resolve));
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`log analysis worker exited (${code})`)));
  });
  result.catch(() => {}); // awaited later; no unhandled rejection meanwhile
  return { w, result };
}

function startWorker(part: number, parts: number, opts: AnalyzeOptions): WorkerHandle {
  const waiters: (() => void)[] = [];
  const h: WorkerHandle = {
    inflight: 0, waiters,
    ...spawnWorker<RangeResult>({ format: opts.format, year: opts.year, part, parts }, (m, resolve) => {
      if (m.type === 'ack') { h.inflight--; waiters.shift()?.(); }
      else if (m.type === 'partial') resolve(m);
    }),
  };
  return h;
}

async function analyzeParallel(inputs: FileInput[], opts: AnalyzeOptions, total: number | null, parts: number): Promise<LogReport> {
  const workers = Array.from({ length: parts }, (_, i) => startWorker(i, parts, opts));
  const post = (m: ToWorker): void => { for (const h of workers) h.w.postMessage(m); };
  let lines = 0;
  try {
    let doneBytes = 0;
    let truncatedGzip = false;
    let oversized = 0;
    for (const input of inputs) {
      post({ type: 'begin' });
      const st = await readInput(input, async (chunk) => {
        for (const h of workers) {
          if (h.inflight >= MAX_INFLIGHT) await new Promise<void>((r) => h.waiters.push(r));
          h.inflight++;
          // the reader reuses its buffer: each worker gets its own copy, moved rather than cloned
          const copy = new Uint8Array(chunk);
          h.w.postMessage({ type: 'chunk', chunk: copy } satisfies ToWorker, [copy.buffer]);
        }
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
      }, {
        signal: opts.signal,
        onProgress: (p) => opts.onProgress?.({ bytes: doneBytes + p.bytesIn, totalBytes: total, lines }),
      });
      doneBytes += st.bytesIn;
      truncatedGzip ||= st.truncatedGzip;
      oversized += st.oversizedLines;
      post({ type: 'end', name: input.name, bytes: st.bytes });
    }
    post({ type: 'finish' });
    const results = await Promise.all(workers.map((h) => h.result));
    const tally = new Tally();
    for (const r of results) tally.merge(r.partial);
    const files = results[0]!.files.map((f, i) => {
      const formats = new Set(results.flatMap((r) => r.files[i]!.format.split('+')).filter((x) => x !== 'unknown'));
      return { ...f, format: [...formats].sort().join('+') || 'unknown' };
    });
    return report(tally, files, opts, { truncatedGzip, oversizedLines: oversized });
  } finally {
    await Promise.all(workers.map((h) => h.w.terminate()));
  }
}

// ------------------------------------------------------------------ range mode
// A plain Postfix file is cut in two at a line start: this thread reads the head, a worker the
// tail. Lines of messages that began in the head are deferred by the worker (it lacks their
// state) and replayed here after the head, so totals equal those of one pass over the file.

function wantRanges(opts: AnalyzeOptions, size: number): boolean {
  if (opts.onDelivery) return false;
  if (opts.threads !== undefined) return opts.threads === 2;
  return size >= PARALLEL_MIN_BYTES && twoSpareCores();
}

interface SplitPlan {
  /** the first line start at or after the middle */
  split: number;
  /** the syslog clock (year of classic stamps) as one pass would have it at `split` */
  clock: { year: number; lastMonth: number };
}

/**
 * Range mode's plan for a file, read with one open: null unless the file is plain (not gzip) text,
 * its first 64 KiB are Postfix syslog lines only, and a line starts past the middle. The clock
 * comes from a line every 256 KiB and the last line before the cut, run through the same clock
 * (a year turns at most once between samples in any real log).
 */
async function planSplit(path: string, size: number, opts: AnalyzeOptions): Promise<SplitPlan | null> {
  if (opts.format !== undefined && opts.format !== 'auto' && opts.format !== 'postfix') return null;
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const read = async (pos: number, len = buf.length): Promise<Buffer> => buf.subarray(0, (await fh.read(buf, 0, len, pos)).bytesRead);

    const head = await read(0);
    if (head.length < 2 || (head[0] === 0x1f && head[1] === 0x8b) || looksBinary(head)) return null;
    const last = head.lastIndexOf(10);
    if (last < 0) return null;
    const an = new LogAnalyzer({ format: opts.format, year: opts.year });
    an.beginFile();
    an.feed(head.subarray(0, last + 1));
    an.endFile(path, last + 1);
    if (an.files[0]!.format !== 'postfix') return null;

    let split = -1;
    for (let pos = Math.max(1, Math.floor(size * HEAD_SHARE)) - 1; split < 0 && pos < size; pos += buf.length) {
      const nl = (await read(pos)).indexOf(10);
      if (nl >= 0) split = pos + nl + 1;
    }
    if (split < 0 || split >= size) return null;

    const clock = new SyslogClock(opts.year ?? new Date().getUTCFullYear());
    const stamp = (b: Buffer, from: number): void => {
      if (b[from]! >= 65 && b[from]! <= 90) clock.classic(b.toString('latin1', from, Math.min(b.length, from + 32)), 0);
    };
    for (let off = 0; off < split; off += 256 * 1024) {
      const b = await read(off, Math.min(1024, split - off));
      const from = off === 0 ? 0 : b.indexOf(10) + 1;
      if (off === 0 || from > 0) stamp(b, from);
    }
    const from = Math.max(0, split - 1024);
    const tail = await read(from, split - from);
    const prev = tail.subarray(0, tail.length - 1).lastIndexOf(10);
    if (prev >= 0 || from === 0) stamp(tail, prev + 1);
    return { split, clock: clock.state() };
  } finally {
    await fh.close();
  }
}

/** What a worker returns: its partial tally (and, in range mode, the lines it deferred). */
type RangeResult = Extract<FromWorker, { type: 'partial' }>;

interface RangeWorker { w: Worker; done: { bytes: number; lines: number }; result: Promise<RangeResult | null> }

/** A worker for one byte range; its result is null when it deferred too much (overflow). */
function rangeWorker(data: AnalyzerOptions, job: Extract<ToWorker, { type: 'range' }>): RangeWorker {
  const rw: RangeWorker = {
    done: { bytes: 0, lines: 0 },
    ...spawnWorker<RangeResult | null>(data, (m, resolve) => {
      if (m.type === 'progress') rw.done = m;
      else if (m.type === 'partial') resolve(m);
      else if (m.type === 'overflow') resolve(null);
    }),
  };
  rw.w.postMessage(job);
  return rw;
}

/**
 * Range mode over one file: this thread reads the head, a worker the tail. Null when the file
 * turned out not to suit it (the caller then reads it in one pass).
 */
async function analyzeRanges(name: string, path: string, size: number, { split, clock }: SplitPlan, opts: AnalyzeOptions): Promise<LogReport | null> {
  const tail = rangeWorker(
    { format: opts.format, year: opts.year, midFile: { clock, lineBase: split } },
    { type: 'range', path, name, maxDeferredBytes: MAX_DEFERRED_BYTES, range: { start: split, end: size } },
  );
  // an overflowing or failing tail stops the head early
  const giveUp = new AbortController();
  tail.result.then((r) => { if (!r) giveUp.abort(); }, () => giveUp.abort());
  try {
    const an = new LogAnalyzer({ format: opts.format, year: opts.year });
    an.beginFile();
    const head = await readFileChunks(path, (chunk) => { an.feed(chunk); }, {
      signal: opts.signal ? AbortSignal.any([opts.signal, giveUp.signal]) : giveUp.signal,
      range: { start: 0, end: split },
      onProgress: (p) => opts.onProgress?.({ bytes: p.bytes + tail.done.bytes, totalBytes: size, lines: an.tally.lines + tail.done.lines }),
    }).catch((err: unknown) => {
      if (giveUp.signal.aborted && !opts.signal?.aborted) return null;
      throw err;
    });
    const t = await tail.result; // rethrows a worker failure
    if (!head || !t) return null;
    await tail.w.terminate(); // its memory goes before the report is built
    an.endFile(name, head.bytes);
    // other formats keep per-message state the tail worker did not have: read the file in one pass
    if (!onlyPostfix(an.files) || !onlyPostfix(t.files)) return null;
    const tally = an.tally;
    if (t.partial.headT < tally.lastSeenT - 60_000) tally.outOfOrder++; // across the cut
    an.replay(t.deferred);
    tally.merge(t.partial);
    const files = [{ name, bytes: head.bytes + t.files[0]!.bytes, format: 'postfix' }];
    return report(tally, files, opts, { truncatedGzip: false, oversizedLines: head.oversizedLines + t.oversizedLines });
  } finally {
    await tail.w.terminate();
  }
}

function onlyPostfix(files: LogAnalyzer['files']): boolean {
  return files[0]!.format === 'postfix';
}

/** The report; report.js (with the diagnosis engine) loads only now, not while lines are read. */
async function report(tally: Tally, files: LogAnalyzer['files'], opts: AnalyzeOptions, read: { truncatedGzip: boolean; oversizedLines: number }): Promise<LogReport> {
  const { buildReport } = await import('./report.js');
  return buildReport(tally, files, { ...opts, ...read });
}

export async function analyzeFiles(paths: string[], opts: AnalyzeOptions = {}): Promise<LogReport> {
  const inputs: FileInput[] = [];
  for (const p of paths) {
    const st = await stat(p).catch(() => null);
    if (!st) throw new LogInputError(`${p}: no such file`);
    if (!st.isFile()) throw new LogInputError(`${p}: not a regular file`);
    inputs.push({ name: p, path: p, size: st.size });
  }
  return analyzeInputs(inputs, opts);
}
