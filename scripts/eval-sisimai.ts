// Text track of the Sisimai evaluation: each record's diagnostic text → classifyText → reason,
// compared with Sisimai's label. Reads ../shared/eval/sisimai relative to the repo root.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifyText } from '../src/diagnosis/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const labelsPath = resolve(root, '../shared/eval/sisimai/labels.jsonl');
const NOT_BOUNCES = new Set(['delivered', 'feedback', 'vacation']);

interface Label {
  file: string;
  record: number;
  reason: string;
  diagnosticcode: string | null;
}

function main(): void {
  if (!existsSync(labelsPath)) {
    console.log(`eval-sisimai (text track): ${labelsPath} not found, skipped.`);
    return;
  }
  const labels = readFileSync(labelsPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Label);
  let skippedNull = 0;
  let skippedNotBounce = 0;
  let agree = 0;
  let total = 0;
  const confusion = new Map<string, Map<string, number>>();
  const misses: string[] = [];
  // 'filtered' vs 'userunknown' for the same "user unknown" wording is decided by Sisimai from the
  // SMTP command and the DSN Status field of the e-mail, which the diagnostic text alone lacks.
  let filteredWithoutPhase = 0;
  // how the confidence scheme separates right from wrong answers at the default threshold
  const THRESHOLD = 0.6;
  let confident = 0;
  let confidentAgree = 0;
  for (const l of labels) {
    if (NOT_BOUNCES.has(l.reason)) { skippedNotBounce++; continue; }
    if (l.diagnosticcode === null) { skippedNull++; continue; }
    total++;
    const c = classifyText(l.diagnosticcode);
    const got = c.reason;
    if (c.confidence >= THRESHOLD) {
      confident++;
      if (got === l.reason) confidentAgree++;
    }
    if (got === l.reason) agree++;
    else if (l.reason === 'filtered' && got === 'userunknown' && !/rcpt|mail from|data|after|in reply to/i.test(l.diagnosticcode)) {
      filteredWithoutPhase++;
    }
    if (got !== l.reason) misses.push(`${l.reason} → ${got} | ${l.file}#${l.record} | ${l.diagnosticcode.slice(0, 140)}`);
    const row = confusion.get(l.reason) ?? new Map<string, number>();
    row.set(got, (row.get(got) ?? 0) + 1);
    confusion.set(l.reason, row);
  }
  console.log(`Sisimai text track: ${labels.length} records; skipped ${skippedNotBounce} not bounces (delivered/feedback/vacation), ${skippedNull} with null diagnosticcode`);
  console.log('\nconfusion (label → predicted: count), rows with errors marked *');
  for (const [label, row] of [...confusion].sort((a, b) => a[0].localeCompare(b[0]))) {
    const n = [...row.values()].reduce((a, b) => a + b, 0);
    const ok = row.get(label) ?? 0;
    const cells = [...row].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}:${v}`).join(' ');
    console.log(`${ok === n ? ' ' : '*'} ${label.padEnd(16)} ${String(ok).padStart(3)}/${String(n).padEnd(4)} ${cells}`);
  }
  if (process.argv.includes('--misses')) {
    console.log('\nmisses:');
    for (const m of misses) console.log('  ' + m);
  }
  const pct = (n: number): string => ((100 * n) / total).toFixed(1);
  console.log(`\n${filteredWithoutPhase} misses are Sisimai 'filtered' labels on "user unknown" texts that name no SMTP command`);
  console.log(`(Sisimai reads the command and DSN Status from the e-mail; the text track has neither).`);
  console.log(`agreement counting those as userunknown≡filtered: ${agree + filteredWithoutPhase}/${total} = ${pct(agree + filteredWithoutPhase)}%`);
  console.log(`confidence ≥ ${THRESHOLD} (answered without escalation): ${confident}/${total}, agreement ${((100 * confidentAgree) / confident).toFixed(1)}%;` +
    ` below (escalated): ${total - confident}, agreement ${((100 * (agree - confidentAgree)) / Math.max(1, total - confident)).toFixed(1)}%`);
  console.log(`text-track agreement (strict): ${agree}/${total} = ${pct(agree)}% (target ≥ 95%)`);
}

main();
