// The analysis pipeline: read (plain or gzip) → LogAnalyzer (one thread, or sharded over worker
// threads for large inputs) → merged Tally → Report. Runs in-process with no server or database;
// the API's job handler and the CLI both use it.
import { stat } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { LogAnalyzer, LOG_FORMATS, type LogFormat } from './analyzer.js';
import { Tally, type DeliveryEvent, type TallyPartial } from './tally.js';
import { FailureClassifier } from './classify.js';
import { buildReport, type LogReport, type ReportOptions } from './report.js';
import { readChunks, readFileChunks, LogInputError, type ChunkHandler, type ChunkStats } from './reader.js';
import type { ToWorker } from './worker.js';

export { LOG_FORMATS, LogInputError, type LogFormat };

/** Inputs smaller than this are analysed in the calling thread (workers cost more than they save). */
const PARALLEL_MIN_BYTES = 48 * 1024 * 1024;
const MAX_INFLIGHT = 4;

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
  /** awaited after each chunk (single thread): lets a consumer of onDelivery write in batches */
  afterChunk?: () => Promise<void> | void;
  /** worker threads to use; default: 2 for inputs over 48 MiB with 4+ cores of which 2 are idle, else none */
  threads?: number;
}

/** A log to analyse: a stream, or a file path (read with one reused buffer, see readFileChunks). */
export type FileInput = { name: string; size: number | null } & ({ stream: Readable } | { path: string });

function readInput(input: FileInput, onText: ChunkHandler, opts: Parameters<typeof readChunks>[2]): Promise<ChunkStats> {
  return 'path' in input ? readFileChunks(input.path, onText, opts) : readChunks(input.stream, onText, opts);
}

/**
 * Workers pay only for large inputs and when two cores are actually free besides the reader: every
 * worker scans all lines, so on 2 cores two workers cost 1.7× the CPU of one thread (11 s vs 6.5 s
 * user at 2 M lines) and 225 vs 145 MiB peak RSS for at best a small wall-clock gain (bench:logs).
 */
function chooseThreads(opts: AnalyzeOptions, total: number | null): number {
  if (opts.onDelivery) return 1;
  if (opts.threads !== undefined) return Math.max(1, Math.floor(opts.threads));
  const cores = availableParallelism();
  return total !== null && total >= PARALLEL_MIN_BYTES && cores >= 4 && loadavg()[0]! < cores - 2 ? 2 : 1;
}

/** Analyses one or more inputs into one report. Throws LogInputError for unusable input. */
export async function analyzeInputs(inputs: FileInput[], opts: AnalyzeOptions = {}): Promise<LogReport> {
  const total = inputs.every((i) => i.size !== null) ? inputs.reduce((a, i) => a + (i.size ?? 0), 0) : null;
  const threads = chooseThreads(opts, total);
  return threads > 1 ? analyzeParallel(inputs, opts, total, threads) : analyzeSingle(inputs, opts, total);
}

async function analyzeSingle(inputs: FileInput[], opts: AnalyzeOptions, total: number | null): Promise<LogReport> {
  const an = new LogAnalyzer({ format: opts.format, year: opts.year });
  if (opts.onDelivery) {
    const classifier = new FailureClassifier();
    an.tally.onDelivery = opts.onDelivery;
    an.tally.classifyNow = (text, dir) => classifier.classify(text, dir);
  }
  let doneBytes = 0;
  let truncatedGzip = false;
  let oversized = 0;
  for (const input of inputs) {
    an.beginFile();
    const st = await readInput(input, (text) => { an.feed(text); return opts.afterChunk?.(); }, {
      signal: opts.signal,
      onProgress: (p) => opts.onProgress?.({ bytes: doneBytes + p.bytesIn, totalBytes: total, lines: an.tally.lines }),
    });
    doneBytes += st.bytesIn;
    truncatedGzip ||= st.truncatedGzip;
    oversized += st.oversizedLines;
    an.endFile(input.name, st.bytes);
  }
  return buildReport(an.tally, an.files, { ...opts, truncatedGzip, oversizedLines: oversized });
}

interface WorkerHandle {
  w: Worker;
  inflight: number;
  waiters: (() => void)[];
  partial: Promise<{ partial: TallyPartial; files: LogAnalyzer['files'] }>;
}

/** The worker module; from TypeScript sources (tsx) the worker registers the same loader first. */
function workerEntry(): URL {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new URL('./worker.js', here);
  const code = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(new URL('./worker.ts', here).href)});`;
  return new URL('data:text/javascript,' + encodeURIComponent(code));
}

function startWorker(part: number, parts: number, opts: AnalyzeOptions): WorkerHandle {
  // A small young generation: the workers' garbage is short-lived line slices, and every isolate's
  // default nursery would otherwise add tens of MiB to the peak RSS.
  const w = new Worker(workerEntry(), {
    workerData: { format: opts.format, year: opts.year, part, parts },
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
  });
  const h: WorkerHandle = { w, inflight: 0, waiters: [], partial: null as never };
  h.partial = new Promise((resolve, reject) => {
    w.on('message', (m: { type: 'ack' } | { type: 'partial'; partial: TallyPartial; files: LogAnalyzer['files'] }) => {
      if (m.type === 'ack') { h.inflight--; h.waiters.shift()?.(); }
      else resolve(m);
    });
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`log analysis worker exited (${code})`)));
  });
  h.partial.catch(() => {}); // observed below; avoid an unhandled rejection while reading
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
      const st = await readInput(input, async (text) => {
        for (const h of workers) {
          if (h.inflight >= MAX_INFLIGHT) await new Promise<void>((r) => h.waiters.push(r));
          h.inflight++;
          h.w.postMessage({ type: 'chunk', text } satisfies ToWorker);
        }
        for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
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
    const results = await Promise.all(workers.map((h) => h.partial));
    const tally = new Tally();
    for (const r of results) tally.merge(r.partial);
    const files = results[0]!.files.map((f, i) => {
      const formats = new Set(results.flatMap((r) => r.files[i]!.format.split('+')).filter((x) => x !== 'unknown'));
      return { ...f, format: [...formats].sort().join('+') || 'unknown' };
    });
    return buildReport(tally, files, { ...opts, truncatedGzip, oversizedLines: oversized });
  } finally {
    await Promise.all(workers.map((h) => h.w.terminate()));
  }
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
