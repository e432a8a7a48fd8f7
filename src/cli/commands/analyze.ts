// mailmedic analyze FILE... [--format auto|postfix|exim|sendmail|exchange|m365] [--json] [--year N]
// Runs the log analysis in-process (no server, no database) and prints the report.
import { parseArgs } from 'node:util';
import { analyzeFiles, LOG_FORMATS, LogInputError, type LogFormat, type Progress } from '../../logs/analyze.js';
import { renderText } from '../../logs/render-text.js';

const USAGE = `usage: mailmedic analyze FILE... [--format ${LOG_FORMATS.join('|')}] [--json] [--year YYYY] [--threads N] [--stats]
  Analyses mail server logs (plain or gzip) and prints totals, failures by root cause,
  incidents and security findings. --year sets the year for syslog stamps without one;
  --threads N sets the threads (default: 2 for inputs over 48 MiB on 4+ cores with 2 idle, else 1);
  with 2, a plain Postfix file is read as two halves at once (same report; on 2 cores no faster than one thread, ~20 MiB more memory);
  --stats prints lines, time and lines/s on stderr.`;

function progressBar(): { update: (p: Progress) => void; done: () => void } {
  const started = Date.now();
  let last = 0;
  const draw = (p: Progress, force = false): void => {
    const now = Date.now();
    if (!force && now - last < 200) return;
    last = now;
    const secs = Math.max(0.001, (now - started) / 1000);
    const rate = p.lines / secs;
    const frac = p.totalBytes ? Math.min(1, p.bytes / p.totalBytes) : null;
    const eta = frac && frac > 0 ? (secs / frac) * (1 - frac) : null;
    const width = 24;
    const bar = frac === null ? '' : `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}] ${(frac * 100).toFixed(0).padStart(3)}% `;
    const mb = (p.bytes / 1048576).toFixed(0);
    const total = p.totalBytes ? `/${(p.totalBytes / 1048576).toFixed(0)}` : '';
    process.stderr.write(`\r${bar}${mb}${total} MiB  ${Math.round(rate).toLocaleString('en-US')} lines/s${eta !== null ? `  ETA ${eta.toFixed(0)} s` : ''}   `);
  };
  return { update: (p) => draw(p), done: () => process.stderr.write('\r\x1b[K') };
}

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'auto' }, json: { type: 'boolean', default: false }, year: { type: 'string' },
        threads: { type: 'string' }, stats: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) { process.stdout.write(USAGE + '\n'); return 0; }
  if (positionals.length === 0) { process.stderr.write(`no log file given\n${USAGE}\n`); return 2; }
  const format = values.format as LogFormat;
  if (!LOG_FORMATS.includes(format)) { process.stderr.write(`unknown --format ${values.format}\n${USAGE}\n`); return 2; }
  const year = values.year === undefined ? undefined : Number(values.year);
  if (year !== undefined && !(Number.isInteger(year) && year >= 1970 && year <= 9999)) { process.stderr.write('--year must be a four-digit year\n'); return 2; }
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 16)) { process.stderr.write('--threads must be 1..16\n'); return 2; }
  const bar = process.stderr.isTTY ? progressBar() : null;
  try {
    const started = performance.now();
    const report = await analyzeFiles(positionals, { format, year, threads, onProgress: bar?.update, knowledgeDir: process.env.KNOWLEDGE_DIR });
    bar?.done();
    if (values.stats) {
      const ms = performance.now() - started;
      process.stderr.write(`stats: ${report.input.lines} lines in ${ms.toFixed(0)} ms (${Math.round(report.input.lines / (ms / 1000))} lines/s), peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB\n`);
    }
    process.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : renderText(report));
    return 0;
  } catch (err) {
    bar?.done();
    if (err instanceof LogInputError) { process.stderr.write(`mailmedic analyze: ${err.message}\n`); return 1; }
    throw err;
  }
}
