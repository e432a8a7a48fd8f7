// npm run eval:logs — parses the real log lines in ../shared/eval/logs (other projects' test
// fixtures, read in place, never copied) and prints the parsed share per file. Files of programs
// this analyzer does not cover (Dovecot, Courier, …) are listed for completeness; "in scope" are
// the MTA logs it reads: Postfix, Exim, Sendmail, Exchange. Any exception is a failure.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { analyzeInputs, type FileInput } from '../src/logs/analyze.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const EVAL = join(ROOT, '..', 'shared', 'eval', 'logs');
if (!existsSync(EVAL)) {
  console.log(`skipped: ${EVAL} not found`);
  process.exit(0);
}

const IN_SCOPE = /^(postfix|exim|sendmail|exchange-smtp-receive)\.log$/;

/** whyscream's lines are message parts only; postfix.tsv names the grok pattern (→ program) per line. */
function whyscreamAsSyslog(tsv: string): string {
  const special: Record<string, string> = {
    TLS_FEATURES: 'smtpd', COMMAND_COUNTER_DATA: 'smtpd', SCRIPT: 'postfix-script', TRIVIAL_REWRITE: 'trivial-rewrite',
  };
  return tsv.split('\n').slice(1).filter(Boolean).map((row) => {
    const [, pattern = '', data = ''] = row.split('\t');
    const name = /POSTFIX_([A-Z_]+)/.exec(pattern)?.[1] ?? 'unknown';
    const prog = special[name] ?? name.toLowerCase();
    return `Jan  1 00:00:00 eval postfix/${prog}[1]: ${data}`;
  }).join('\n') + '\n';
}

interface Row { file: string; lines: number; parsed: number; share: number; formats: string; unparsed: string; inScope: boolean; error?: string }
const rows: Row[] = [];
for (const dir of readdirSync(EVAL).sort()) {
  const d = join(EVAL, dir);
  if (!statSync(d).isDirectory()) continue;
  for (const f of readdirSync(d).sort()) {
    if (f.endsWith('.tsv')) continue;
    const name = `${dir}/${f}`;
    let input: FileInput;
    if (dir.startsWith('whyscream') && f === 'postfix.log') {
      const text = whyscreamAsSyslog(readFileSync(join(d, 'postfix.tsv'), 'utf8'));
      input = { name, stream: Readable.from([Buffer.from(text)]), size: text.length };
    } else {
      const buf = readFileSync(join(d, f));
      input = { name, stream: Readable.from([buf]), size: buf.length };
    }
    try {
      const r = await analyzeInputs([input], { threads: 1, year: 2024 });
      const nonEmpty = r.input.lines - r.input.emptyLines;
      rows.push({
        file: name, lines: nonEmpty, parsed: r.input.parsedLines, share: r.input.parsedShare, inScope: IN_SCOPE.test(f),
        formats: Object.keys(r.input.formats).join('+') || '-',
        unparsed: r.unparsed.slice(0, 3).map((u) => `${u.program}:${u.count}`).join(' '),
      });
    } catch (err) {
      rows.push({ file: name, lines: 0, parsed: 0, share: 0, formats: '-', unparsed: '', inScope: IN_SCOPE.test(f), error: (err as Error).message });
    }
  }
}

console.log('file                                              lines  parsed  share   formats        unparsed (top)');
for (const r of rows) {
  console.log(`${(r.inScope ? '' : '(out of scope) ') + r.file}`.padEnd(48) + `${String(r.lines).padStart(7)} ${String(r.parsed).padStart(7)} ${(r.share * 100).toFixed(1).padStart(5)}%   ${r.formats.padEnd(14)} ${r.error ? 'ERROR ' + r.error : r.unparsed}`);
}
const scope = rows.filter((r) => r.inScope);
const sum = (rs: Row[], k: 'lines' | 'parsed'): number => rs.reduce((a, r) => a + r[k], 0);
console.log(`\nin scope (Postfix, Exim, Sendmail, Exchange): ${sum(scope, 'parsed')}/${sum(scope, 'lines')} lines parsed (${((sum(scope, 'parsed') / Math.max(1, sum(scope, 'lines'))) * 100).toFixed(1)}%) in ${scope.length} files`);
console.log(`all files: ${sum(rows, 'parsed')}/${sum(rows, 'lines')} lines parsed; errors: ${rows.filter((r) => r.error).length}`);
if (rows.some((r) => r.error)) process.exitCode = 1;
