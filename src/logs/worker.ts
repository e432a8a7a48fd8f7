// Worker thread, two modes. Sharded: runs a LogAnalyzer over every chunk the main thread posts
// (owning part of the lines) and returns its partial tally. Range: reads its own byte range of a
// plain file and returns its partial tally plus the lines it deferred (see analyze.ts). Neither
// needs the diagnosis engine (classification happens once, in the main thread, per distinct text).
import { parentPort, workerData } from 'node:worker_threads';
import { LogAnalyzer, type AnalyzerOptions } from './analyzer.js';
import { readFileChunks, type FileRange } from './reader.js';
import type { TallyPartial } from './tally.js';
import type { DeferredLine } from './parsers/postfix.js';

export type ToWorker =
  | { type: 'begin' }
  | { type: 'chunk'; chunk: Uint8Array }
  | { type: 'end'; name: string; bytes: number }
  | { type: 'finish' }
  | { type: 'range'; path: string; name: string; range: FileRange; maxDeferredBytes: number };

export type FromWorker =
  | { type: 'ack' }
  | { type: 'progress'; bytes: number; lines: number }
  | { type: 'partial'; partial: TallyPartial; files: LogAnalyzer['files']; deferred: DeferredLine[]; oversizedLines: number }
  /** the range deferred more than maxDeferredBytes: the caller analyses the file in one pass */
  | { type: 'overflow' };

class Overflow extends Error {}

const port = parentPort;
if (port) {
  const an = new LogAnalyzer(workerData as AnalyzerOptions);
  const finish = (oversizedLines = 0): void => {
    const partial = an.tally.toPartial();
    port.postMessage({ type: 'partial', partial, files: an.files, deferred: an.deferred.lines, oversizedLines } satisfies FromWorker);
  };
  port.on('message', (m: ToWorker) => {
    switch (m.type) {
      case 'begin': an.beginFile(); break;
      case 'chunk': an.feed(Buffer.from(m.chunk.buffer, m.chunk.byteOffset, m.chunk.byteLength)); port.postMessage({ type: 'ack' } satisfies FromWorker); break;
      case 'end': an.endFile(m.name, m.bytes); break;
      case 'finish': finish(); break;
      case 'range': {
        an.beginFile();
        let reported = 0;
        readFileChunks(m.path, (chunk) => {
          an.feed(chunk);
          if (an.deferred.bytes > m.maxDeferredBytes) throw new Overflow();
        }, {
          range: m.range,
          onProgress: (st) => {
            if (st.bytes - reported < 8 << 20) return;
            reported = st.bytes;
            port.postMessage({ type: 'progress', bytes: st.bytes, lines: an.tally.lines } satisfies FromWorker);
          },
        }).then((st) => {
          an.endFile(m.name, st.bytes);
          finish(st.oversizedLines);
        }, (err: unknown) => {
          if (err instanceof Overflow) port.postMessage({ type: 'overflow' } satisfies FromWorker);
          else throw err;
        });
        break;
      }
    }
  });
}
