// npm run bench:logs — our log analysis vs Debian's pflogsumm on the same generated Postfix log.
// Generates ≥ 2,000,000 lines with scripts/lib/postfix-loggen.ts (ground truth known), installs
// pflogsumm if missing, runs both under /usr/bin/time -v and prints lines/s, the ratio, peak RSS
// and a comparison of the grand totals (ours and pflogsumm's against the generator's truth).
// `mailmedic analyze` runs from the bundle that `npm run build` (scripts/build-cli.ts) makes; the
// bench builds it first. pflogsumm and ours (the CLI's default threads) run in turns, three times
// each, and the medians count; ours also runs once with --threads 2 (range mode: this thread and a
// worker each read half the file). Options: --lines N (default 2000000), --threads N (the default
// runs' threads), --tsx (also time the sources run through tsx, as without a build), --keep.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writePostfixLog, type GroundTruth } from './lib/postfix-loggen.js';
import { buildCli } from './build-cli.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { lines: { type: 'string', default: '2000000' }, threads: { type: 'string' }, tsx: { type: 'boolean', default: false }, keep: { type: 'boolean', default: false } } });
const LINES = Number(values.lines);
const RUNS = 3;
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

function ensurePflogsumm(): string {
  for (const p of ['/usr/sbin/pflogsumm', '/usr/bin/pflogsumm']) if (existsSync(p)) return p;
  console.log('pflogsumm not found: apt-get install -y pflogsumm');
  const install = (): boolean => spawnSync('apt-get', ['install', '-y', 'pflogsumm'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (!install()) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    if (!install()) throw new Error('could not install pflogsumm');
  }
  for (const p of ['/usr/sbin/pflogsumm', '/usr/bin/pflogsumm']) if (existsSync(p)) return p;
  throw new Error('pflogsumm installed but not found');
}

interface Timed { wallS: number; cpuS: number; maxRssMiB: number; stdout: string; stderr: string }

/** Runs a command under GNU time -v (wall clock and peak RSS of the whole process). */
function timed(cmd: string, args: string[]): Timed {
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { cwd: ROOT, maxBuffer: 1 << 30, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(r.stderr);
  if (!wall || !rss || !user || !sys) throw new Error('could not read /usr/bin/time output');
  return {
    wallS: Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]),
    cpuS: Number(user[1]) + Number(sys[1]), maxRssMiB: Number(rss[1]) / 1024, stdout: r.stdout, stderr: r.stderr,
  };
}

/** pflogsumm prints big numbers in k/m units (adj_int_units); compare in the same units. */
function pflogUnits(v: number): string {
  if (v > 536870912) return `${Math.floor(v / 1048576)}m`;
  if (v > 524288) return `${Math.floor(v / 1024)}k`;
  return String(v);
}

function parsePflogsumm(out: string): Record<string, string> {
  const grab = (label: string): string => {
    const m = new RegExp(`^\\s*(\\d+[km]?)\\s+${label}`, 'm').exec(out);
    return m ? m[1]! : '?';
  };
  const dfr = /^\s*(\d+[km]?)\s+deferred\s+\((\d+[km]?)\s+deferrals\)/m.exec(out);
  const failures = /smtp delivery failures: none/.test(out) ? '0' : (() => {
    const sec = /smtp delivery failures\n-+\n([\s\S]*?)\n\n/.exec(out)?.[1] ?? '';
    return String(sec.split('\n').map((l) => /^\s+(\d+)\s{2,}/.exec(l)?.[1]).filter(Boolean).reduce((a, n) => a + Number(n), 0));
  })();
  return {
    received: grab('received'), delivered: grab('delivered'), forwarded: grab('forwarded'),
    deferred: dfr?.[1] ?? grab('deferred'), deferrals: dfr?.[2] ?? '0', bounced: grab('bounced'), rejected: grab('rejected'),
    rejectWarnings: grab('reject warnings'), held: grab('held'), discarded: grab('discarded'),
    bytesReceived: grab('bytes received'), bytesDelivered: grab('bytes delivered'), senders: grab('senders'),
    sendingHosts: grab('sending hosts/domains'), recipients: grab('recipients'), recipientHosts: grab('recipient hosts/domains'),
    connectionFailures: failures,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'mailmedic-bench-logs-'));
try {
  const file = join(dir, 'postfix.log');
  console.log(`load average before: ${load()} (the machine is shared; figures are noisy)`);
  let t0 = performance.now();
  const truth: GroundTruth = writePostfixLog(file, { lines: LINES, seed: 42 });
  const bytes = statSync(file).size;
  console.log(`generated ${truth.lines.toLocaleString('en-US')} lines, ${(bytes / 1048576).toFixed(0)} MiB in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${file}`);
  writeFileSync(join(dir, 'truth.json'), JSON.stringify(truth, null, 2));

  await buildCli();
  console.log('built dist/analyze.js (npm run build): bin/mailmedic.js runs analyze from it');
  const pflogsumm = ensurePflogsumm();
  // Page cache warm-up so neither run pays for the first read from disk.
  execFileSync('cat', [file], { stdio: ['ignore', 'ignore', 'inherit'] });

  const analyzeArgs = ['analyze', file, '--json', '--year', '2025', '--stats', ...(values.threads ? ['--threads', values.threads] : [])];
  // The machine is shared and its speed drifts by ±15% over minutes: pflogsumm and ours run in
  // turns, three times each, and the medians are compared (every run is printed).
  const pfRuns: Timed[] = [];
  const runs: Timed[] = [];
  for (let i = 1; i <= RUNS; i++) {
    console.log(`running pflogsumm (${i}/${RUNS}) … (load ${load()})`);
    pfRuns.push(timed(pflogsumm, [file]));
    console.log(`running mailmedic analyze (${i}/${RUNS}) … (load ${load()})`);
    runs.push(timed(process.execPath, [join(ROOT, 'bin/mailmedic.js'), ...analyzeArgs]));
  }
  const median = (xs: Timed[]): Timed => [...xs].sort((a, b) => a.wallS - b.wallS)[RUNS >> 1]!;
  const pf = median(pfRuns);
  const pfTotals = parsePflogsumm(pf.stdout);
  const ours = median(runs);
  console.log(`running mailmedic analyze --threads 2 … (load ${load()})`);
  const ranges = timed(process.execPath, [join(ROOT, 'bin/mailmedic.js'), ...analyzeArgs, '--threads', '2']);
  const viaTsx = values.tsx ? (console.log(`running the sources through tsx … (load ${load()})`), timed(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...analyzeArgs])) : null;
  const rangesReport = JSON.parse(ranges.stdout) as { totals: Record<string, number> };
  const report = JSON.parse(ours.stdout) as { totals: Record<string, number>; incidents: { headline: string }[]; security: { bruteForce: unknown[]; suspectAccounts: unknown[]; relayAttempts: unknown[] } };
  const inProc = /stats: (\d+) lines in (\d+) ms/.exec(ours.stderr);
  console.log(`load average after: ${load()}`);

  const pfRate = truth.lines / pf.wallS;
  const ourRate = truth.lines / ours.wallS;
  const ourRateInProc = inProc ? Number(inProc[1]) / (Number(inProc[2]) / 1000) : NaN;
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  console.log('\nthroughput (same file, same run, wall clock incl. reading the file and process start)');
  console.log(`  pflogsumm : ${pf.wallS.toFixed(2)} s  ${fmt(pfRate)} lines/s  peak RSS ${pf.maxRssMiB.toFixed(0)} MiB  CPU ${pf.cpuS.toFixed(2)} s (${fmt(truth.lines / pf.cpuS)} lines per CPU-s)`);
  console.log(`              median of ${RUNS} runs: ${pfRuns.map((r) => `${r.wallS.toFixed(2)} s`).join(', ')}`);
  console.log(`  mailmedic : ${ours.wallS.toFixed(2)} s  ${fmt(ourRate)} lines/s  peak RSS ${ours.maxRssMiB.toFixed(0)} MiB  CPU ${ours.cpuS.toFixed(2)} s (${fmt(truth.lines / ours.cpuS)} lines per CPU-s)  (analysis alone: ${fmt(ourRateInProc)} lines/s)`);
  console.log(`              median of ${RUNS} runs: ${runs.map((r) => `${r.wallS.toFixed(2)} s`).join(', ')}; peak RSS at most ${Math.max(...runs.map((r) => r.maxRssMiB)).toFixed(0)} MiB`);
  console.log(`  --threads 2: ${ranges.wallS.toFixed(2)} s  ${fmt(truth.lines / ranges.wallS)} lines/s  peak RSS ${ranges.maxRssMiB.toFixed(0)} MiB  CPU ${ranges.cpuS.toFixed(2)} s  (${(truth.lines / ranges.wallS / pfRate).toFixed(2)}× pflogsumm; totals ${JSON.stringify(rangesReport.totals) === JSON.stringify(report.totals) ? 'equal to' : 'DIFFERENT from'} the default run's)`);
  if (viaTsx) console.log(`  via tsx   : ${viaTsx.wallS.toFixed(2)} s  ${fmt(truth.lines / viaTsx.wallS)} lines/s  peak RSS ${viaTsx.maxRssMiB.toFixed(0)} MiB  CPU ${viaTsx.cpuS.toFixed(2)} s  (no build: ${(truth.lines / viaTsx.wallS / pfRate).toFixed(2)}×)`);
  console.log(`  run by run: ${runs.map((r, i) => `${(pfRuns[i]!.wallS / r.wallS).toFixed(2)}×`).join(', ')} (pflogsumm's wall over ours, each pair run back to back)`);
  console.log(`  ratio     : ${(ourRate / pfRate).toFixed(2)}× (process, wall, medians)  ${(pf.cpuS / ours.cpuS).toFixed(2)}× (CPU time)  ${(ourRateInProc / pfRate).toFixed(2)}× (analysis alone)   target ≥ 10×: ${ourRate / pfRate >= 10 ? 'met' : 'NOT met'}`);
  const peak = Math.max(...runs.map((r) => r.maxRssMiB));
  console.log(`  peak RSS  : ${peak.toFixed(0)} MiB (highest of the ${RUNS} runs)   target ≤ 150 MiB: ${peak <= 150 ? 'met' : 'NOT met'}`);

  const fields = ['received', 'delivered', 'forwarded', 'deferred', 'deferrals', 'bounced', 'rejected', 'rejectWarnings', 'held', 'discarded', 'bytesReceived', 'bytesDelivered', 'senders', 'sendingHosts', 'recipients', 'recipientHosts', 'connectionFailures'] as const;
  console.log('\ngrand totals              truth        ours   pflogsumm   ours=truth  pflogsumm=truth');
  let oursOk = 0;
  for (const f of fields) {
    const t = truth[f];
    const o = report.totals[f]!;
    const p = pfTotals[f] ?? '?';
    const pOk = p === pflogUnits(t);
    if (o === t) oursOk++;
    console.log(`  ${f.padEnd(20)} ${String(t).padStart(12)} ${String(o).padStart(12)} ${p.padStart(10)}   ${o === t ? 'yes' : 'NO '}         ${pOk ? 'yes' : 'NO'}${f === 'connectionFailures' && !pOk ? ' (pflogsumm does not recognise "connect to …: Connection timed out")' : ''}`);
  }
  console.log(`  (pflogsumm prints values over 512k in k/m units; they are compared in its units)`);
  console.log(`  ours: ${oursOk}/${fields.length} totals equal to the ground truth; expired (queue lifetime): truth ${truth.expired}, ours ${report.totals.expired}; SASL failures: truth ${truth.authFailures}, ours ${report.totals.authFailures}`);
  console.log(`\nincidents found: ${report.incidents.length}`);
  for (const i of report.incidents.slice(0, 5)) console.log(`  ${i.headline}`);
  console.log(`security: ${report.security.bruteForce.length} brute-force sources, ${report.security.suspectAccounts.length} suspect accounts, ${report.security.relayAttempts.length} relay-attempt sources`);
} finally {
  if (values.keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
