// `mailmedic diagnose`: runs the diagnosis engine in-process on a text, a bounce .eml, stdin, or a
// JSON-lines batch. No database or server involved.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Diagnosis } from '../../core/diagnosis.js';
import type { Lang } from '../../core/taxonomy.js';
import { diagnose, DEFAULT_CONFIDENCE_THRESHOLD, type DiagnoseInput } from '../../diagnosis/index.js';

/** Larger files are refused before reading; the bounce reader caps what it parses anyway. */
const MAX_EML_BYTES = 64 * 1024 * 1024;
/** One JSONL line longer than this is reported as an error instead of parsed. */
const MAX_LINE_CHARS = 8 * 1024 * 1024;

const USAGE = `usage: mailmedic diagnose [options] "<error text>"
       mailmedic diagnose --eml bounce.eml
       echo "<error text>" | mailmedic diagnose -
       mailmedic diagnose --jsonl inputs.jsonl   (lines {"id","text"} or {"id","eml"}; "-" reads stdin)
options:
  --json             print the Diagnosis as JSON
  --locale zh|en     answer language (default: the language of the input)
  --threshold N      confidence below which the answer is escalated (default ${DEFAULT_CONFIDENCE_THRESHOLD})
  -h, --help         this help`;

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = chunk as Buffer;
    size += b.length;
    if (size <= MAX_EML_BYTES) chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readEml(path: string): Promise<Buffer> {
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a file`);
  if (info.size > MAX_EML_BYTES) throw new Error(`${path} is ${info.size} bytes; the limit is ${MAX_EML_BYTES}`);
  return readFile(path);
}

const LABELS = {
  en: {
    rootCause: 'Root cause', confidence: 'confidence', reason: 'Reason (Sisimai)', smtp: 'SMTP', provider: 'Provider', summary: 'Summary',
    steps: 'Steps', evidence: 'Evidence', escalate: 'Escalate to a human', yes: 'yes', no: 'no', recipients: 'Recipients',
    alternatives: 'Other possibilities', missing: 'Ticket fields still missing',
  },
  zh: {
    rootCause: '根本原因', confidence: '置信度', reason: '退信类型 (Sisimai)', smtp: 'SMTP', provider: '服务商', summary: '说明',
    steps: '处理步骤', evidence: '依据', escalate: '转人工', yes: '是', no: '否', recipients: '收件人',
    alternatives: '其他可能', missing: '工单仍缺少的信息',
  },
} as const;

export function formatDiagnosis(d: Diagnosis): string {
  const L = LABELS[d.language];
  const lines: string[] = [];
  lines.push(`${L.rootCause}: ${d.rootCause} (${d.category}), ${L.confidence} ${d.confidence.toFixed(2)}`);
  lines.push(`${L.reason}: ${d.reason}`);
  const code = [d.smtp.replyCode, d.smtp.enhancedStatus].filter(Boolean).join(' ');
  if (code) lines.push(`${L.smtp}: ${code}${d.smtp.statusMeaning ? ` — ${d.smtp.statusMeaning}` : ''}`);
  if (d.provider) lines.push(`${L.provider}: ${d.provider}`);
  lines.push('', `${L.summary}: ${d.summary}`, '', `${L.steps}:`);
  d.steps.forEach((s, i) => lines.push(`  ${i + 1}. ${s}`));
  if (d.evidence.length) {
    lines.push('', `${L.evidence}:`);
    for (const e of d.evidence) lines.push(`  - ${[e.text ? `"${e.text}"` : '', e.note ? `(${e.note})` : ''].filter(Boolean).join(' ')}`);
  }
  if (d.recipients.length) {
    lines.push('', `${L.recipients}:`);
    for (const r of d.recipients) lines.push(`  - ${r.recipient}: ${r.rootCause} / ${r.reason} (${r.confidence.toFixed(2)})${r.status ? ` ${r.status}` : ''}`);
  }
  if (d.alternatives.length) {
    lines.push('', `${L.alternatives}: ${d.alternatives.map((a) => `${a.rootCause} (${a.confidence.toFixed(2)})`).join(', ')}`);
  }
  lines.push('', `${L.escalate}: ${d.escalate.needed ? `${L.yes} (${d.escalate.reason}, ${d.escalate.priority})` : L.no}`);
  if (d.ticket.missing.length) lines.push(`${L.missing}: ${d.ticket.missing.join(', ')}`);
  return lines.join('\n') + '\n';
}

async function runJsonl(source: string, base: Omit<DiagnoseInput, 'text' | 'email'>, threshold: number, io: Io): Promise<number> {
  const input = source === '-' ? process.stdin : createReadStream(source);
  const rl = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let failures = 0;
  for await (const line of rl) {
    lineNo++;
    if (!line.trim()) continue;
    let id: unknown = null;
    try {
      if (line.length > MAX_LINE_CHARS) throw new Error(`line is longer than ${MAX_LINE_CHARS} characters`);
      const obj = JSON.parse(line) as unknown;
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new Error('line is not a JSON object');
      const rec = obj as Record<string, unknown>;
      id = rec.id ?? null;
      const locale = rec.locale === 'zh' || rec.locale === 'en' ? rec.locale : base.locale;
      let req: DiagnoseInput;
      if (typeof rec.text === 'string') req = { ...base, locale, text: rec.text };
      else if (typeof rec.eml === 'string') req = { ...base, locale, email: await readEml(rec.eml) };
      else throw new Error('line needs a "text" string or an "eml" path');
      const d = await diagnose(req, { confidenceThreshold: threshold });
      io.stdout(JSON.stringify({ id, ...d }) + '\n');
    } catch (err) {
      failures++;
      io.stdout(JSON.stringify({ id, line: lineNo, error: (err as Error).message }) + '\n');
    }
  }
  if (failures) io.stderr(`${failures} line(s) could not be diagnosed (see their "error" field)\n`);
  return 0;
}

export async function run(argv: string[], io: Io = defaultIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        eml: { type: 'string' },
        jsonl: { type: 'string' },
        locale: { type: 'string' },
        threshold: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    io.stderr(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE + '\n');
    return 0;
  }
  if (values.locale !== undefined && values.locale !== 'zh' && values.locale !== 'en') {
    io.stderr(`--locale must be zh or en\n`);
    return 2;
  }
  const locale = values.locale as Lang | undefined;
  const threshold = values.threshold === undefined ? DEFAULT_CONFIDENCE_THRESHOLD : Number(values.threshold);
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
    io.stderr('--threshold must be a number between 0 and 1\n');
    return 2;
  }
  const base = { locale };

  try {
    if (values.jsonl !== undefined) return await runJsonl(values.jsonl, base, threshold, io);

    const req: DiagnoseInput = { ...base };
    if (values.eml !== undefined) req.email = await readEml(values.eml);
    if (positionals.length === 1 && positionals[0] === '-') req.text = await readStdin();
    else if (positionals.length) req.text = positionals.join(' ');
    if (req.text === undefined && req.email === undefined) {
      io.stderr(`nothing to diagnose\n${USAGE}\n`);
      return 2;
    }
    const d = await diagnose(req, { confidenceThreshold: threshold });
    io.stdout(values.json ? JSON.stringify(d, null, 2) + '\n' : formatDiagnosis(d));
    return 0;
  } catch (err) {
    io.stderr(`diagnose: ${(err as Error).message}\n`);
    return 1;
  }
}
