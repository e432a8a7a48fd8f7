// DMARC (RFC 7489): one record, syntax, policy, pct, sp, alignment, report addresses and
// authorisation of external report receivers (§7.1).
import { type CheckContext, type CheckOutcome, type Issue, orgDomain, outcome, parseTags, say, txtText } from './common.js';

const KNOWN_TAGS = new Set(['v', 'p', 'sp', 'pct', 'adkim', 'aspf', 'rua', 'ruf', 'fo', 'rf', 'ri', 'np', 't', 'psd']);
const POLICIES = new Set(['none', 'quarantine', 'reject']);

function isDmarc(text: string): boolean {
  return /^v\s*=\s*DMARC1\s*(;|$)/i.test(text.trim());
}

/** "mailto:a@b.com!10m" → "a@b.com"; null when the URI is not a usable mailto. */
function mailtoAddress(uri: string): string | null {
  const m = /^mailto:([^@\s!]+@([a-z0-9.-]+\.[a-z]{2,}))(?:![0-9]+[kmgt]?)?$/i.exec(uri.trim());
  return m ? m[1]!.toLowerCase() : null;
}

export async function checkDmarc(ctx: CheckContext): Promise<CheckOutcome> {
  const t = say(ctx.lang);
  const { domain, resolver } = ctx;
  const org = orgDomain(domain);
  let source = domain;
  let answer = await resolver.query(`_dmarc.${domain}`, 'TXT');
  let records = answer.records.map(txtText).filter(isDmarc);
  if (records.length === 0 && org !== domain) {
    source = org;
    answer = await resolver.query(`_dmarc.${org}`, 'TXT');
    records = answer.records.map(txtText).filter(isDmarc);
  }
  const issues: Issue[] = [];
  const steps = [
    t(`Publish one TXT record at _dmarc.${domain}, for example "v=DMARC1; p=none; rua=mailto:dmarc@${domain}", and read the reports for a few weeks.`, `在 _dmarc.${domain} 上发布一条 TXT 记录，例如“v=DMARC1; p=none; rua=mailto:dmarc@${domain}”，并观察几周的报告。`),
    t('When SPF and DKIM pass and align for all your legitimate mail, raise the policy to p=quarantine and then p=reject.', '确认所有正常邮件的 SPF 和 DKIM 都通过且对齐后，把策略逐步提高到 p=quarantine，再到 p=reject。'),
  ];
  if (records.length === 0) {
    issues.push({
      level: 'fail',
      rootCause: 'dmarc_failure',
      text: t(`No DMARC record at _dmarc.${domain}: large receivers (Gmail, Yahoo, Outlook) require one from bulk senders and may reject or junk your mail (5.7.26).`, `_dmarc.${domain} 没有 DMARC 记录：Gmail、Yahoo、Outlook 等大型收件方要求批量发件人必须配置，否则可能拒收或放入垃圾箱（5.7.26）。`),
      evidence: `_dmarc.${domain} TXT: (none)`,
    });
    return outcome('dmarc', ctx.lang, { okText: '', records: [], issues, steps });
  }
  if (records.length > 1) {
    issues.push({
      level: 'fail',
      rootCause: 'dmarc_failure',
      text: t(`_dmarc.${source} has ${records.length} DMARC records; receivers then apply no policy at all (RFC 7489 §6.6.3).`, `_dmarc.${source} 有 ${records.length} 条 DMARC 记录；收件方会因此完全不应用策略（RFC 7489 §6.6.3）。`),
      evidence: records.join(' | '),
    });
    return outcome('dmarc', ctx.lang, { okText: '', records, issues, steps: [t('Delete all but one DMARC record.', '只保留一条 DMARC 记录，删除其余的。'), ...steps] });
  }

  const record = records[0]!;
  const { tags, order, errors } = parseTags(record);
  const bad = (text: string) => issues.push({ level: 'fail', rootCause: 'dmarc_failure', text, evidence: record });
  if (order[0] !== 'v') bad(t('"v=DMARC1" must be the first tag.', '“v=DMARC1”必须是第一个标签。'));
  for (const e of errors) bad(t(`Cannot parse "${e}" in the DMARC record.`, `无法解析 DMARC 记录中的“${e}”。`));
  const inherited = source !== domain;
  const policy = (inherited ? (tags.get('sp') ?? tags.get('p')) : tags.get('p'))?.toLowerCase();
  if (!tags.has('p')) bad(t('The record has no p= tag, so it is invalid.', '记录缺少 p= 标签，因此无效。'));
  else if (!POLICIES.has(tags.get('p')!.toLowerCase())) bad(t(`p=${tags.get('p')} is not none, quarantine or reject.`, `p=${tags.get('p')} 不是 none、quarantine 或 reject。`));
  if (tags.has('sp') && !POLICIES.has(tags.get('sp')!.toLowerCase())) bad(t(`sp=${tags.get('sp')} is not none, quarantine or reject.`, `sp=${tags.get('sp')} 不是 none、quarantine 或 reject。`));
  for (const k of ['adkim', 'aspf']) {
    const v = tags.get(k);
    if (v !== undefined && !/^[rs]$/i.test(v)) bad(t(`${k}=${v} must be r (relaxed) or s (strict).`, `${k}=${v} 必须是 r（宽松）或 s（严格）。`));
  }
  const pctRaw = tags.get('pct');
  const pct = pctRaw === undefined ? 100 : Number(pctRaw);
  if (!Number.isInteger(pct) || pct < 0 || pct > 100) bad(t(`pct=${pctRaw} must be a whole number from 0 to 100.`, `pct=${pctRaw} 必须是 0 到 100 的整数。`));
  else if (pct < 100 && policy !== 'none') {
    issues.push({ level: 'warn', evidence: record, text: t(`pct=${pct}: the policy applies to only ${pct}% of failing mail.`, `pct=${pct}：策略只作用于 ${pct}% 的未通过邮件。`) });
  }
  const unknown = order.filter((k) => !KNOWN_TAGS.has(k));
  if (unknown.length) issues.push({ level: 'warn', evidence: record, text: t(`Unknown tag(s) ${unknown.join(', ')} are ignored by receivers.`, `未知标签 ${unknown.join('、')} 会被收件方忽略。`) });
  if (policy === 'none') {
    issues.push({ level: 'warn', evidence: record, text: t('The policy is p=none (monitoring only): mail that fails DMARC, including spoofed mail, is still delivered.', '策略为 p=none（仅监控）：未通过 DMARC 的邮件（包括伪造邮件）仍会被投递。') });
  }
  if (inherited) {
    issues.push({ level: 'warn', evidence: record, text: t(`${domain} has no record of its own; the organisational domain's record (_dmarc.${org}) applies.`, `${domain} 没有自己的记录；适用组织域的记录（_dmarc.${org}）。`) });
  }

  const reportAddresses: Array<{ tag: string; address: string; authorized: boolean | null }> = [];
  for (const tag of ['rua', 'ruf']) {
    const value = tags.get(tag);
    if (value === undefined) continue;
    for (const uri of value.split(',').filter((u) => u.trim() !== '')) {
      const address = mailtoAddress(uri);
      if (address === null) {
        bad(t(`${tag} entry "${uri.trim()}" is not a valid mailto: address.`, `${tag} 中的“${uri.trim()}”不是有效的 mailto: 地址。`));
        continue;
      }
      reportAddresses.push({ tag, address, authorized: null });
    }
  }
  if (!tags.has('rua')) {
    issues.push({ level: 'warn', evidence: record, text: t('No rua= address: you receive no aggregate reports and cannot see who sends as your domain.', '没有 rua= 地址：收不到汇总报告，无法了解谁在用本域发信。') });
  }
  // RFC 7489 §7.1: a receiver outside the domain's organisation must publish an authorisation record
  await Promise.all(
    reportAddresses.map(async (r) => {
      const target = r.address.split('@')[1]!;
      if (orgDomain(target) === orgDomain(source)) return;
      const auth = await resolver.query(`${source}._report._dmarc.${target}`, 'TXT');
      r.authorized = auth.records.map(txtText).some(isDmarc);
      if (!r.authorized) {
        issues.push({
          level: 'warn',
          evidence: `${source}._report._dmarc.${target} TXT: (none)`,
          text: t(`${r.tag} sends reports to ${target}, which has not authorised it (no TXT at ${source}._report._dmarc.${target}); receivers will drop those reports.`, `${r.tag} 把报告发往 ${target}，但对方未授权（${source}._report._dmarc.${target} 无 TXT 记录）；收件方会丢弃这些报告。`),
        });
      }
    }),
  );

  return outcome('dmarc', ctx.lang, {
    okText: t(`DMARC policy p=${policy} applies to ${pct}% of failing mail; reports go to ${reportAddresses.map((r) => r.address).join(', ')}.`, `DMARC 策略 p=${policy}，作用于 ${pct}% 的未通过邮件；报告发往 ${reportAddresses.map((r) => r.address).join('、')}。`),
    records: [record],
    issues,
    details: {
      source,
      policy: policy ?? null,
      subdomainPolicy: tags.get('sp') ?? null,
      pct,
      alignment: { dkim: tags.get('adkim') ?? 'r', spf: tags.get('aspf') ?? 'r' },
      reportAddresses,
    },
    steps,
  });
}
