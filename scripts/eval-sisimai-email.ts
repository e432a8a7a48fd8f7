// Email track of the Sisimai evaluation: raw .eml → parseBounce → (classifyText) → compare with
// labels.jsonl. Reads ../shared/eval/sisimai relative to the repo root; never copies it.
//   npx tsx scripts/eval-sisimai-email.ts [--verbose] [--family lhost-exim]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBounce, type BounceRecipient, type BounceReport } from '../src/diagnosis/bounce/index.js';
import type { ClassifyHints } from '../src/diagnosis/classify.js';
import { recipientHints, recipientText } from '../src/diagnosis/engine.js';

interface Label {
  file: string;
  record: number;
  reason: string;
  deliverystatus: string;
  replycode: string;
  diagnosticcode: string | null;
}

type Classify = (text: string, ctx: ClassifyHints) => { reason?: string } | string | null | undefined;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = resolve(ROOT, '../shared/eval/sisimai');
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const onlyFamily = args.includes('--family') ? args[args.indexOf('--family') + 1] : undefined;

async function loadClassifier(): Promise<Classify | null> {
  const path = join(ROOT, 'src/diagnosis/index.ts');
  if (!existsSync(path)) return null;
  try {
    const mod = (await import('../src/diagnosis/index.js')) as { classifyText?: Classify };
    return typeof mod.classifyText === 'function' ? mod.classifyText : null;
  } catch (err) {
    console.log(`(classifyText not usable yet: ${(err as Error).message.split('\n')[0]})`);
    return null;
  }
}

function reasonOf(classify: Classify, text: string, hints: ClassifyHints): string | null {
  const r = classify(text, hints);
  if (!r) return null;
  return typeof r === 'string' ? r : (r.reason ?? null);
}

/** Sisimai's X.0.9NN codes are made from its reason, not read from the message. */
const isRealStatus = (s: string): boolean => /^[245]\.\d{1,3}\.\d{1,3}$/.test(s) && !/^\d\.0\.9\d\d$/.test(s);

const words = (s: string): Set<string> => new Set(s.toLowerCase().match(/[a-z0-9]{3,}|[\u3040-\u9fff]/g) ?? []);
/** Share of the label's diagnostic words that the extracted diagnostic contains. */
function overlap(label: string | null, got: string | null): number {
  if (!label) return 1;
  if (!got) return 0;
  const a = words(label);
  const b = words(got);
  if (a.size === 0) return 1;
  let n = 0;
  for (const w of a) if (b.has(w)) n++;
  return n / a.size;
}

const familyOf = (file: string): string => file.replace(/-\d+\.eml$/, '');

interface Row {
  files: number;
  records: number;
  found: number;
  statusOf: number;
  statusOk: number;
  reasonOk: number;
  diagOk: number;
}
const newRow = (): Row => ({ files: 0, records: 0, found: 0, statusOf: 0, statusOk: 0, reasonOk: 0, diagOk: 0 });

async function main(): Promise<void> {
  if (!existsSync(join(DATA, 'labels.jsonl'))) {
    console.log(`eval-sisimai-email: ${DATA} not found — skipped.`);
    return;
  }
  const classify = await loadClassifier();
  if (!classify) console.log('classifyText() not exported by src/diagnosis/index.ts yet: reason column skipped.');
  const labels = readFileSync(join(DATA, 'labels.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Label);
  const byFile = new Map<string, Label[]>();
  for (const l of labels) byFile.set(l.file, [...(byFile.get(l.file) ?? []), l]);

  const files = readdirSync(join(DATA, 'emails')).filter((f) => f.endsWith('.eml') && (!onlyFamily || familyOf(f) === onlyFamily)).sort();
  const families = new Map<string, Row>();
  const total = newRow();
  const failures = { notFound: 0, extraction: 0, classification: 0 };
  // labels that repeat an earlier label's record number (Sisimai reported that recipient twice)
  let repeatedLabels = 0;
  const confusions = new Map<string, number>();
  const unlabelled: Record<string, number> = {};
  let parseMs = 0;
  let peakRss = process.memoryUsage().rss;

  for (const file of files) {
    const raw = readFileSync(join(DATA, 'emails', file));
    const t0 = performance.now();
    const report: BounceReport = await parseBounce(raw);
    parseMs += performance.now() - t0;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const expected = (byFile.get(file) ?? []).filter((l) => l.reason !== 'delivered').sort((a, b) => a.record - b.record);
    if (expected.length === 0) {
      const key = `${report.kind}${report.recipients.length ? `(${report.recipients.length} rcpt)` : ''}`;
      unlabelled[key] = (unlabelled[key] ?? 0) + 1;
      continue;
    }
    const row = families.get(familyOf(file)) ?? newRow();
    families.set(familyOf(file), row);
    row.files++;
    // `record` numbers the recipient inside the message; a few labels repeat a record (Sisimai
    // reported one recipient twice), so a label is matched to the recipient its record names.
    const records = [...new Set(expected.map((l) => l.record))];
    const compared = new Set<number>();
    for (const label of expected) {
      const i = records.indexOf(label.record);
      if (compared.has(label.record)) repeatedLabels++;
      compared.add(label.record);
      row.records++;
      // Feedback reports and auto-replies are right when recognised as such.
      if (label.reason === 'feedback' || label.reason === 'vacation') {
        const ok = report.kind === (label.reason === 'feedback' ? 'feedback' : 'vacation');
        if (ok) { row.found++; row.reasonOk++; row.diagOk++; }
        else if (verbose) console.log(`MISS ${file}#${label.record}: kind ${report.kind}, expected ${label.reason}`);
        continue;
      }
      const got: BounceRecipient | undefined = report.recipients[i];
      if (got) row.found++;
      if (isRealStatus(label.deliverystatus)) {
        row.statusOf++;
        if (got?.status === label.deliverystatus) row.statusOk++;
        else if (verbose) console.log(`STATUS ${file}#${label.record}: got ${got?.status ?? '-'} want ${label.deliverystatus}`);
      }
      const diagOverlap = overlap(label.diagnosticcode, got?.diagnosticCode ?? null);
      if (got && diagOverlap >= 0.5) row.diagOk++;
      if (!classify) {
        if (verbose && !got) console.log(`MISS ${file}#${label.record}: ${report.kind}, ${report.recipients.length} recipients`);
        continue;
      }
      // the same text and hints diagnose() gives the classifier for a recipient
      const reason = got
        ? reasonOf(classify, recipientText(got), { ...recipientHints(report, got), provider: report.provider })
        : null;
      if (reason === label.reason) { row.reasonOk++; continue; }
      // Attribute the miss: would the classifier have been right on the labelled text?
      const onLabel = reasonOf(classify, label.diagnosticcode ?? label.deliverystatus ?? '', { provider: report.provider, command: got?.command ?? null, status: null });
      if (!got) failures.notFound++;
      else if (onLabel === label.reason) failures.extraction++;
      else {
        failures.classification++;
        const key = `${label.reason} ← ${onLabel ?? 'none'}`;
        confusions.set(key, (confusions.get(key) ?? 0) + 1);
      }
      if (verbose) {
        console.log(`REASON ${file}#${label.record}: got ${reason} want ${label.reason} (on label text: ${onLabel}) cmd=${got?.command ?? "-"} diag=${JSON.stringify(got?.diagnosticCode?.slice(0, 160) ?? null)}`);
      }
    }
  }

  const pct = (n: number, d: number): string => (d === 0 ? '   -  ' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);
  console.log('\nEmail track (parseBounce on raw .eml)');
  console.log(`${'family'.padEnd(24)} files  recs  found    status       diag(≥50%)  reason`);
  for (const [name, r] of [...families.entries()].sort()) {
    for (const k of Object.keys(total) as (keyof Row)[]) total[k] += r[k];
    console.log(
      `${name.padEnd(24)} ${String(r.files).padStart(5)} ${String(r.records).padStart(5)} ${pct(r.found, r.records)}  ${pct(r.statusOk, r.statusOf)} (${r.statusOf})  ${pct(r.diagOk, r.records)}  ${classify ? pct(r.reasonOk, r.records) : '  n/a'}`,
    );
  }
  console.log('-'.repeat(86));
  console.log(
    `${'TOTAL'.padEnd(24)} ${String(total.files).padStart(5)} ${String(total.records).padStart(5)} ${pct(total.found, total.records)}  ${pct(total.statusOk, total.statusOf)} (${total.statusOf})  ${pct(total.diagOk, total.records)}  ${classify ? pct(total.reasonOk, total.records) : '  n/a'}`,
  );
  console.log(
    `\nrecords found: ${total.found}/${total.records} = ${pct(total.found, total.records).trim()} (${repeatedLabels} labels repeat an earlier label's record and are compared with that recipient again)`,
  );
  console.log(`status agreement (labels with a real RFC 3463 code): ${total.statusOk}/${total.statusOf} = ${pct(total.statusOk, total.statusOf).trim()}`);
  if (classify) {
    console.log(`reason agreement: ${total.reasonOk}/${total.records} = ${pct(total.reasonOk, total.records).trim()}`);
    const top = [...confusions.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, n]) => `${k} ×${n}`);
    console.log(`classification misses, expected ← classifier on the labelled text: ${top.join(', ')}`);
    console.log(`reason misses: ${failures.notFound} record not found, ${failures.extraction} extraction (classifier right on the labelled text), ${failures.classification} classification (wrong on the labelled text too)`);
  }
  console.log(`unlabelled messages by verdict: ${JSON.stringify(unlabelled)}`);
  console.log(`parse: ${files.length} messages in ${parseMs.toFixed(0)} ms (${(parseMs / Math.max(1, files.length)).toFixed(2)} ms/message), peak RSS ${(peakRss / 1048576).toFixed(0)} MB`);
}

await main();
