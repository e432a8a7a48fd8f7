// Worker thread: runs a sharded LogAnalyzer over every chunk the main thread posts and returns
// its partial tally at the end. It needs no diagnosis engine (classification happens once, in the
// main thread, per distinct failure text).
import { parentPort, workerData } from 'node:worker_threads';
import { LogAnalyzer, type AnalyzerOptions } from './analyzer.js';

export type ToWorker =
  | { type: 'begin' }
  | { type: 'chunk'; text: string }
  | { type: 'end'; name: string; bytes: number }
  | { type: 'finish' };

const port = parentPort;
if (port) {
  const an = new LogAnalyzer(workerData as AnalyzerOptions);
  port.on('message', (m: ToWorker) => {
    switch (m.type) {
      case 'begin': an.beginFile(); break;
      case 'chunk': an.feed(m.text); port.postMessage({ type: 'ack' }); break;
      case 'end': an.endFile(m.name, m.bytes); break;
      case 'finish': {
        const partial = an.tally.toPartial();
        port.postMessage({ type: 'partial', partial, files: an.files });
        break;
      }
    }
  });
}
