// Plain-text rendering of a LogReport for terminals (pflogsumm-like layout, plus root causes).
import type { LogReport } from './report.js';

const num = (n: number): string => n.toLocaleString('en-US');
const pad = (s: string | number, w: number): string => String(s).padStart(w);

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const u = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024, i = 0;
  while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(1)} ${u[i]}`;
}

function secs(v: number | null): string {
  if (v === null) return '-';
  if (v < 60) return `${v.toFixed(2)} s`;
  if (v < 3600) return `${(v / 60).toFixed(1)} min`;
  return `${(v / 3600).toFixed(1)} h`;
}

export function renderText(r: LogReport): string {
  const out: string[] = [];
  const h = (title: string): void => { out.push('', title, '-'.repeat(title.length)); };
  const t = r.totals;
  out.push('Mail log analysis');
  out.push(`${num(r.input.lines)} lines (${(r.input.parsedShare * 100).toFixed(1)}% parsed) from ${r.input.files.map((f) => `${f.name} [${f.format}]`).join(', ')}`);
  if (r.input.from) out.push(`period ${r.input.from} .. ${r.input.to}`);
  for (const w of r.warnings) out.push(`warning: ${w}`);

  h('Grand totals');
  const rows: [number | string, string][] = [
    [t.received, 'received'], [t.delivered, 'delivered'], [t.forwarded, 'forwarded'],
    [t.deferred, `deferred (${num(t.deferrals)} deferrals)`], [t.bounced, 'bounced'],
    [t.rejected, `rejected (${t.rejectedPercent}%)`], [t.rejectWarnings, 'reject warnings'], [t.held, 'held'],
    [t.discarded, 'discarded'], [t.expired, 'expired (queue lifetime)'], [t.connectionFailures, 'connection failures'],
    [t.authFailures, 'SASL/AUTH failures'], [bytes(t.bytesReceived), 'bytes received'], [bytes(t.bytesDelivered), 'bytes delivered'],
    [t.senders, 'senders'], [t.sendingHosts, 'sending hosts/domains'], [t.recipients, 'recipients'], [t.recipientHosts, 'recipient hosts/domains'],
  ];
  for (const [v, label] of rows) out.push(`${pad(typeof v === 'number' ? num(v) : v, 12)}  ${label}`);
  if (t.contentFilterHops) out.push(`${pad(num(t.contentFilterHops), 12)}  content filter hops (not counted as delivered/received)`);

  h('Delivery delay');
  out.push(`p50 ${secs(r.delays.p50)}   p90 ${secs(r.delays.p90)}   p99 ${secs(r.delays.p99)}   (${num(r.delays.count)} deliveries)`);

  h(`Incidents (${r.incidents.length})`);
  if (r.incidents.length === 0) out.push('none detected');
  for (const i of r.incidents.slice(0, 20)) {
    out.push(`* ${i.headline}`);
    out.push(`  ${i.affectedSenders} senders, ${i.affectedRecipients} recipients affected; ${i.category}`);
    for (const e of i.evidence.slice(0, 2)) out.push(`  > ${e.slice(0, 220)}`);
    for (const [n, s] of i.steps.slice(0, 4).entries()) out.push(`  ${n + 1}. ${s}`);
    if (i.references.length) out.push(`  see ${i.references.map((x) => x.path).join(', ')}`);
  }

  h('Failures by root cause and destination');
  for (const f of r.failures.slice(0, 30)) {
    out.push(`${pad(num(f.count), 9)}  ${f.kind.padEnd(10)} ${f.rootCause.padEnd(24)} ${f.target}  [${f.firstSeen.slice(5, 16)} .. ${f.lastSeen.slice(5, 16)}]`);
    out.push(`           ${f.text.slice(0, 150)}`);
  }
  if (r.failures.length > 30) out.push(`  … ${r.failures.length - 30} more groups (use --json)`);

  h('Security');
  if (!r.security.bruteForce.length && !r.security.suspectAccounts.length && !r.security.relayAttempts.length) out.push('nothing suspicious');
  for (const b of r.security.bruteForce.slice(0, 10)) out.push(`brute force: ${b.ip} ${num(b.failures)} failed logins ${b.firstSeen} .. ${b.lastSeen}${b.usernames.length ? ` (users: ${b.usernames.slice(0, 5).join(', ')})` : ''}`);
  for (const s of r.security.suspectAccounts.slice(0, 10)) out.push(`possible compromised account: ${s.account} — ${s.signal === 'recipient_burst' ? `${num(s.peakHourRecipients)} recipients in the hour from ${s.peakHourStart} (usually ${s.usualHourlyRecipients}/h)` : `${num(s.bounces)} bounces for ${num(s.recipients)} recipients`}`);
  for (const a of r.security.relayAttempts.slice(0, 10)) out.push(`relay attempt: ${a.ip} ${num(a.attempts)}× ${a.firstSeen} .. ${a.lastSeen}`);

  h('Traffic per day');
  out.push('date         received  delivered   deferred    bounced   rejected');
  for (const d of r.traffic.perDay) out.push(`${d.date} ${pad(num(d.received), 10)} ${pad(num(d.delivered), 10)} ${pad(num(d.deferred), 10)} ${pad(num(d.bounced), 10)} ${pad(num(d.rejected), 10)}`);
  h('Traffic per hour');
  for (const d of r.traffic.perHour) if (d.received || d.delivered || d.deferred || d.bounced || d.rejected) out.push(`${String(d.hour).padStart(2, '0')}:00 ${pad(num(d.received), 10)} ${pad(num(d.delivered), 10)} ${pad(num(d.deferred), 10)} ${pad(num(d.bounced), 10)} ${pad(num(d.rejected), 10)}`);

  h('Top sender domains');
  for (const d of r.topSenderDomains.slice(0, 10)) out.push(`${pad(num(d.messages), 10)} ${pad(bytes(d.bytes), 10)}  ${d.domain}`);
  h('Top recipient domains');
  for (const d of r.topRecipientDomains.slice(0, 10)) out.push(`${pad(num(d.delivered), 10)} ${pad(bytes(d.bytes), 10)}  ${d.domain} (deferred ${num(d.deferred)}, bounced ${num(d.bounced)})`);

  h('Unparsed lines by program');
  if (r.unparsed.length === 0) out.push('none');
  for (const u of r.unparsed.slice(0, 20)) out.push(`${pad(num(u.count), 10)}  ${u.program}`);
  return out.join('\n') + '\n';
}
