// Streams a log file (plain or gzip) as byte chunks that always end at a line break; the analyzer
// scans lines inside a chunk without copies and decodes text only where it needs it. Memory is
// bounded: a "line" longer than MAX_LINE_BYTES is cut and the rest skipped up to the next newline.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export const MAX_LINE_BYTES = 1 << 20;

export class LogInputError extends Error {
  override name = 'LogInputError';
}

export interface ChunkStats {
  /** bytes consumed from the source (compressed bytes for gzip) */
  bytesIn: number;
  /** decompressed bytes */
  bytes: number;
  oversizedLines: number;
  truncatedGzip: boolean;
}

/**
 * Receives whole lines (the final chunk may end without a newline). The bytes are valid only until
 * the handler returns or its promise settles: the reader reuses its buffers.
 */
export type ChunkHandler = (chunk: Buffer) => void | Promise<void>;

/** True when the sample looks like binary rather than a text log. */
export function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8192);
  if (n === 0) return false;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = buf[i]!;
    if (c === 0 || (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 27)) bad++;
  }
  return bad / n > 0.02;
}

/**
 * Reads `source` and calls `onText` with chunks ending at '\n' (the last one may not).
 * Throws LogInputError for binary input; a truncated gzip stream ends the read with
 * `truncatedGzip` set (the report says so) instead of failing.
 */
export async function readChunks(
  source: Readable,
  onText: ChunkHandler,
  opts: { signal?: AbortSignal; onProgress?: (s: ChunkStats) => void } = {},
): Promise<ChunkStats> {
  const stats: ChunkStats = { bytesIn: 0, bytes: 0, oversizedLines: 0, truncatedGzip: false };
  let stream: AsyncIterable<Buffer>;
  let first = true;
  let rest: Buffer | null = null;
  let skipping = false;

  const emit = (buf: Buffer): Buffer | null => {
    if (first) {
      first = false;
      if (looksBinary(buf)) throw new LogInputError('the file is binary data, not a text log (or an unsupported compression format)');
    }
    stats.bytes += buf.length;
    let start = 0;
    if (skipping) {
      const nl = buf.indexOf(10);
      if (nl < 0) return null;
      skipping = false;
      start = nl + 1;
    }
    const last = buf.lastIndexOf(10);
    if (last < start) {
      rest = rest ? Buffer.concat([rest, buf.subarray(start)]) : Buffer.from(buf.subarray(start));
      if (rest.length > MAX_LINE_BYTES) {
        // Keep the head of the giant line (parsers see it cut) and skip the rest of it.
        stats.oversizedLines++;
        const head = cutHead(rest, 0);
        rest = null;
        skipping = true;
        return head;
      }
      return null;
    }
    // One flat string per chunk: joining Buffers (off the JS heap) beats a string concat that
    // V8 would flatten into a second copy on the first indexOf.
    const whole = rest ? Buffer.concat([rest, buf.subarray(start, last + 1)]) : buf.subarray(start, last + 1);
    rest = last + 1 < buf.length ? Buffer.from(buf.subarray(last + 1)) : null;
    return whole;
  };

  // Peek at the magic number: gzip is detected by content, not by file name.
  const it = (source as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const firstRead = await it.next();
  if (firstRead.done) return stats;
  const head = firstRead.value;
  stats.bytesIn += head.length;
  const isGzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  async function* replay(): AsyncGenerator<Buffer> {
    yield head;
    for (let r = await it.next(); !r.done; r = await it.next()) {
      stats.bytesIn += r.value.length;
      yield r.value;
    }
  }
  if (isGzip) {
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    const src = replay();
    (async () => {
      try {
        for await (const b of src) if (!gunzip.write(b)) await new Promise((r) => gunzip.once('drain', r));
        gunzip.end();
      } catch (err) {
        gunzip.destroy(err as Error);
      }
    })();
    stream = gunzip;
  } else stream = replay();

  try {
    for await (const b of stream) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
      const out = emit(b);
      if (out) { const r = onText(out); if (r) await r; }
      opts.onProgress?.(stats);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (isGzip && (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR' || /unexpected end of file/i.test((err as Error).message))) {
      if (code === 'Z_DATA_ERROR' && stats.bytes === 0) throw new LogInputError('the file starts like gzip but is not valid gzip data');
      stats.truncatedGzip = true;
    } else throw err;
  }
  if (rest) { const r = onText(rest); if (r) await r; }
  opts.onProgress?.(stats);
  return stats;
}

/** The first 4 KiB of a giant line at buf[a], as a line of its own (parsers see it cut). */
function cutHead(buf: Buffer, a: number): Buffer {
  const head = Buffer.allocUnsafe(4097);
  buf.copy(head, 0, a, a + 4096);
  head[4096] = 10;
  return head;
}

const FILE_BUF = 2 * MAX_LINE_BYTES;

/** A byte range of a plain file that starts at a line start (worker threads split files this way). */
export interface FileRange { start: number; end: number }

/**
 * readChunks for a file on disk. A plain file is read into two reused buffers in turn (a partial
 * last line moves to the front of the next): the next read runs in the thread pool while this
 * thread parses the current buffer, and no Buffer is allocated per read (per-read Buffers kept
 * ~40 MiB of freed-but-resident memory at 2 M lines). Gzip goes through the stream path.
 */
export async function readFileChunks(
  path: string,
  onText: ChunkHandler,
  opts: { signal?: AbortSignal; onProgress?: (s: ChunkStats) => void; range?: FileRange } = {},
): Promise<ChunkStats> {
  const fh = await open(path, 'r');
  let pending: Promise<{ bytesRead: number }> | null = null;
  try {
    const bufs = [Buffer.allocUnsafe(FILE_BUF), Buffer.allocUnsafe(FILE_BUF)] as const;
    let cur = 0;
    let buf = bufs[0];
    const stats: ChunkStats = { bytesIn: 0, bytes: 0, oversizedLines: 0, truncatedGzip: false };
    let len = 0;
    let skipping = false;
    let pos = opts.range?.start ?? 0;
    const end = opts.range?.end ?? Infinity;
    const readInto = (b: Buffer, at: number): Promise<{ bytesRead: number }> => fh.read(b, at, Math.min(FILE_BUF - at, end - pos), pos);
    pending = readInto(buf, 0);
    for (let first = pos === 0; ; first = false) {
      const { bytesRead } = await pending;
      pending = null;
      if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
      pos += bytesRead;
      if (first) {
        if (bytesRead >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
          await fh.close();
          return await readChunks(openLogFile(path), onText, opts);
        }
        if (looksBinary(buf.subarray(0, bytesRead))) throw new LogInputError('the file is binary data, not a text log (or an unsupported compression format)');
      }
      if (bytesRead === 0) break;
      stats.bytesIn += bytesRead;
      stats.bytes += bytesRead;
      const total = len + bytesRead;
      let start = 0;
      if (skipping) {
        const nl = buf.indexOf(10, len);
        if (nl < 0 || nl >= total) { len = 0; pending = readInto(buf, 0); continue; }
        skipping = false;
        start = nl + 1;
      }
      const last = buf.lastIndexOf(10, total - 1);
      if (last < start) {
        len = total - start;
        if (len > MAX_LINE_BYTES) {
          // Keep the head of the giant line (parsers see it cut) and skip the rest of it.
          stats.oversizedLines++;
          const r = onText(cutHead(buf, start));
          if (r) await r;
          len = 0;
          skipping = true;
        } else if (start > 0) buf.copy(buf, 0, start, total);
        pending = readInto(buf, len);
        continue;
      }
      const next = bufs[cur ^ 1]!;
      len = total - last - 1;
      if (len > 0) buf.copy(next, 0, last + 1, total);
      pending = readInto(next, len);
      const r = onText(buf.subarray(start, last + 1));
      if (r) await r;
      opts.onProgress?.(stats);
      cur ^= 1;
      buf = next;
    }
    if (len > 0 && !skipping) { const r = onText(buf.subarray(0, len)); if (r) await r; }
    opts.onProgress?.(stats);
    return stats;
  } finally {
    await pending?.catch(() => {}); // never close the file under a read in flight
    await fh.close().catch(() => {});
  }
}

export function openLogFile(path: string): Readable {
  return createReadStream(path, { highWaterMark: 1 << 20 });
}
