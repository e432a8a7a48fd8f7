// SPF (RFC 7208): one record, syntax, the 10-lookup and 2-void-lookup limits across includes,
// include loops, the "all" policy, record length, and mailauth's verdict for each sending IP.
import { isIP } from 'node:net';
import { spf as mailauthSpf } from 'mailauth/lib/spf/index.js';
import { mailauthResolver } from '../resolver.js';
import { type CheckContext, type CheckOutcome, type Issue, outcome, say, txtText } from './common.js';

export interface SpfTerm {
  qualifier: '+' | '-' | '~' | '?';
  name: string;
  value: string;
  modifier: boolean;
}

const MECHANISMS = new Set(['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists']);
const LOOKUP_TERMS = new Set(['include', 'a', 'mx', 'ptr', 'exists', 'redirect']);
const MAX_LOOKUPS = 10;
const MAX_VOIDS = 2;

export function isSpfRecord(text: string): boolean {
  return /^v=spf1(?:\s|$)/i.test(text.trim());
}

/** Splits an SPF record into terms; `errors` lists the terms that are not valid syntax. */
export function parseSpf(record: string): { terms: SpfTerm[]; errors: string[] } {
  const terms: SpfTerm[] = [];
  const errors: string[] = [];
  for (const raw of record.trim().split(/\s+/).slice(1)) {
    const mod = /^([a-z][a-z0-9_.-]*)=(.*)$/i.exec(raw);
    if (mod) {
      terms.push({ qualifier: '+', name: mod[1]!.toLowerCase(), value: mod[2]!, modifier: true });
      continue;
    }
    const m = /^([+\-~?]?)([a-z0-9]+)(?:([:/])(.*))?$/i.exec(raw);
    const name = m?.[2]?.toLowerCase() ?? '';
    if (!m || !MECHANISMS.has(name)) {
      errors.push(raw);
      continue;
    }
    const value = m[3] === '/' ? `/${m[4] ?? ''}` : (m[4] ?? '');
    const needsValue = name === 'include' || name === 'exists' || name === 'ip4' || name === 'ip6';
    const ipOk =
      (name !== 'ip4' || isIP(value.split('/')[0] ?? '') === 4) && (name !== 'ip6' || isIP(value.split('/')[0] ?? '') === 6);
    if ((needsValue && value === '') || !ipOk || (name === 'all' && m[3] !== undefined)) {
      errors.push(raw);
      continue;
    }
    terms.push({ qualifier: (m[1] || '+') as SpfTerm['qualifier'], name, value, modifier: false });
  }
  return { terms, errors };
}

interface WalkState {
  lookups: number;
  voids: number;
  loops: string[];
  brokenIncludes: string[];
  syntax: Array<{ domain: string; term: string }>;
  ptrUsed: boolean;
  tree: Record<string, string | null>;
}

/** The domain-spec part of a/mx/include/exists, without a CIDR suffix; macros are not expanded. */
function targetOf(term: SpfTerm, current: string): string | null {
  const spec = term.value.startsWith('/') ? '' : term.value.split('/')[0]!;
  if (spec.includes('%')) return null;
  return (spec || current).toLowerCase();
}

async function walk(ctx: CheckContext, domain: string, path: string[], state: WalkState): Promise<void> {
  if (state.lookups > MAX_LOOKUPS * 2 || path.length > 10) return; // far past the limit already
  const answer = await ctx.resolver.query(domain, 'TXT');
  const spfs = answer.records.map(txtText).filter(isSpfRecord);
  state.tree[domain] = spfs[0] ?? null;
  if (spfs.length !== 1) {
    if (path.length > 0) {
      state.brokenIncludes.push(domain);
      if (answer.records.length === 0) state.voids += 1;
    }
    return;
  }
  const { terms, errors } = parseSpf(spfs[0]!);
  for (const e of errors) state.syntax.push({ domain, term: e });
  const nested: Promise<void>[] = [];
  for (const term of terms) {
    if (!LOOKUP_TERMS.has(term.name)) continue;
    state.lookups += 1;
    if (term.name === 'ptr') state.ptrUsed = true;
    const target = targetOf(term, domain);
    if (target === null) continue;
    if (term.name === 'include' || term.name === 'redirect') {
      if (target === domain || path.includes(target)) {
        state.loops.push([...path, domain, target].join(' → '));
        continue;
      }
      nested.push(walk(ctx, target, [...path, domain], state));
    } else if (term.name === 'a' || term.name === 'mx' || term.name === 'exists') {
      nested.push(
        (async () => {
          const types = term.name === 'mx' ? (['MX'] as const) : term.name === 'exists' ? (['A'] as const) : (['A', 'AAAA'] as const);
          const answers = await Promise.all(types.map((ty) => ctx.resolver.query(target, ty)));
          if (answers.every((x) => x.records.length === 0)) state.voids += 1;
        })(),
      );
    }
  }
  await Promise.all(nested);
}

export async function checkSpf(ctx: CheckContext): Promise<CheckOutcome> {
  const t = say(ctx.lang);
  const { domain } = ctx;
  const answer = await ctx.resolver.query(domain, 'TXT');
  const spfs = answer.records.map(txtText).filter(isSpfRecord);
  const issues: Issue[] = [];
  const include = ctx.expected ? `include:${ctx.expected.spfInclude}` : 'include:<your provider>';
  const baseSteps = [
    t(
      `Publish exactly one TXT record at ${domain} that starts with "v=spf1", lists every service that sends for you (for example ${include}) and ends with "~all" or "-all".`,
      `在 ${domain} 上只保留一条以“v=spf1”开头的 TXT 记录，列出所有代发服务（例如 ${include}），并以“~all”或“-all”结尾。`,
    ),
  ];

  if (spfs.length === 0) {
    issues.push({
      level: 'fail',
      rootCause: 'spf_failure',
      text: t(`${domain} has no SPF record, so receivers cannot tell which servers may send as ${domain}.`, `${domain} 没有 SPF 记录，收件方无法判断哪些服务器可以用 ${domain} 发信。`),
      evidence: `${domain} TXT: ${answer.records.length ? answer.records.map(txtText).join(' | ') : '(none)'}`,
    });
    return outcome('spf', ctx.lang, { okText: '', records: [], issues, steps: baseSteps });
  }
  if (spfs.length > 1) {
    issues.push({
      level: 'fail',
      rootCause: 'spf_failure',
      text: t(`${domain} has ${spfs.length} SPF records; RFC 7208 §3.2 makes that a permanent error, so SPF fails for every message.`, `${domain} 有 ${spfs.length} 条 SPF 记录；按 RFC 7208 §3.2 这是永久错误，所有邮件的 SPF 检查都会失败。`),
      evidence: spfs.join(' | '),
    });
    return outcome('spf', ctx.lang, {
      okText: '', records: spfs, issues,
      steps: [t('Merge the SPF records into one: keep a single "v=spf1 … ~all" record containing all mechanisms.', '把多条 SPF 记录合并成一条：只保留一条包含全部机制的“v=spf1 … ~all”记录。'), ...baseSteps],
    });
  }

  const record = spfs[0]!;
  const state: WalkState = { lookups: 0, voids: 0, loops: [], brokenIncludes: [], syntax: [], ptrUsed: false, tree: {} };
  await walk(ctx, domain, [], state);
  const { terms } = parseSpf(record);

  for (const s of state.syntax) {
    issues.push({
      level: 'fail',
      rootCause: 'spf_failure',
      text: t(`Invalid SPF term "${s.term}" in the record of ${s.domain}: receivers treat the whole record as a permanent error.`, `${s.domain} 的 SPF 记录中“${s.term}”语法无效：收件方会把整条记录视为永久错误。`),
      evidence: s.domain === domain ? record : `${s.domain}: ${state.tree[s.domain] ?? ''}`,
    });
  }
  if (state.loops.length > 0) {
    issues.push({
      level: 'fail',
      rootCause: 'spf_failure',
      text: t(`SPF include loop: ${state.loops[0]}.`, `SPF include 形成循环：${state.loops[0]}。`),
      evidence: state.loops.join('; '),
    });
  }
  if (state.lookups > MAX_LOOKUPS) {
    issues.push({
      level: 'fail',
      rootCause: 'spf_failure',
      text: t(`SPF needs ${state.lookups} DNS lookups (includes counted); RFC 7208 §4.6.4 allows 10, so receivers return permerror.`, `SPF 需要 ${state.lookups} 次 DNS 查询（含 include 内部）；RFC 7208 §4.6.4 上限为 10 次，收件方会返回 permerror。`),
      evidence: record,
    });
  }
  if (state.voids > MAX_VOIDS) {
    issues.push({
      level: 'fail',
      rootCause: 'spf_failure',
      text: t(`SPF has ${state.voids} lookups that return nothing; more than 2 is a permanent error (RFC 7208 §4.6.4).`, `SPF 中有 ${state.voids} 次查询没有结果；超过 2 次即为永久错误（RFC 7208 §4.6.4）。`),
      evidence: record,
    });
  }
  for (const broken of state.brokenIncludes) {
    issues.push({
      level: 'fail',
      rootCause: 'spf_failure',
      text: t(`The SPF record includes ${broken}, which has no single SPF record of its own: evaluation ends in permerror.`, `SPF 记录 include 了 ${broken}，但它本身没有唯一的 SPF 记录：检查结果为 permerror。`),
      evidence: record,
    });
  }
  const all = terms.find((x) => x.name === 'all');
  const redirect = terms.find((x) => x.modifier && x.name === 'redirect');
  if (all?.qualifier === '+') {
    issues.push({
      level: 'fail',
      rootCause: 'spf_failure',
      text: t('The record ends with "+all": every server on the internet is allowed to send as your domain.', '记录以“+all”结尾：互联网上任何服务器都可以冒用本域发信。'),
      evidence: record,
    });
  } else if (all?.qualifier === '?') {
    issues.push({
      level: 'warn',
      text: t('The record ends with "?all" (neutral): unlisted servers are neither allowed nor refused, which gives no protection.', '记录以“?all”（中立）结尾：未列出的服务器既不放行也不拒绝，起不到保护作用。'),
      evidence: record,
    });
  } else if (!all && !redirect) {
    issues.push({
      level: 'warn',
      text: t('The record has no "all" mechanism, so unlisted servers get "neutral".', '记录没有“all”机制，未列出的服务器结果为“中立”。'),
      evidence: record,
    });
  }
  if (state.ptrUsed) {
    issues.push({
      level: 'warn',
      text: t('The "ptr" mechanism is slow and discouraged (RFC 7208 §5.5); some receivers ignore it.', '“ptr”机制速度慢且不推荐使用（RFC 7208 §5.5）；部分收件方会忽略它。'),
      evidence: record,
    });
  }
  if (record.length > 450) {
    issues.push({
      level: 'warn',
      text: t(`The record is ${record.length} characters long; answers this large may not fit a classic 512-byte DNS reply.`, `记录长度为 ${record.length} 个字符；这么大的应答可能超出传统 512 字节的 DNS 报文。`),
      evidence: record,
    });
  }
  if (ctx.expected && !Object.keys(state.tree).includes(ctx.expected.spfInclude)) {
    issues.push({
      level: 'warn',
      rootCause: 'spf_failure',
      text: t(`The record does not include ${ctx.expected.spfInclude}, which ${ctx.expected.name.en} documents for its outgoing servers.`, `记录中没有${ctx.expected.name.zh}要求的 include:${ctx.expected.spfInclude}。`),
      evidence: record,
    });
  }

  const ipResults = await Promise.all(
    ctx.sendingIps.map(async (ip) => {
      const r = await mailauthSpf({
        ip,
        sender: `postmaster@${domain}`,
        helo: domain,
        mta: 'mailmedic',
        resolver: mailauthResolver(ctx.resolver),
      });
      return { ip, result: r.status.result, comment: r.status.comment ?? '' };
    }),
  );
  for (const r of ipResults) {
    if (r.result === 'pass') continue;
    const temp = r.result === 'temperror' || r.result === 'temperr';
    issues.push({
      level: temp ? 'error' : 'fail',
      ...(temp ? {} : { rootCause: 'spf_failure' as const, confidence: 0.92 }),
      text: temp
        ? t(`SPF for ${r.ip} could not be evaluated: a DNS lookup failed temporarily.`, `无法评估 ${r.ip} 的 SPF：DNS 查询暂时失败。`)
        : t(`SPF does not authorise the sending IP ${r.ip} (result: ${r.result}).`, `SPF 未授权发信 IP ${r.ip}（结果：${r.result}）。`),
      evidence: `spf=${r.result} client-ip=${r.ip}; ${record}`,
    });
  }
  const unauthorised = ipResults.filter((r) => ['fail', 'softfail', 'neutral', 'none'].includes(r.result)).map((r) => r.ip);

  return outcome('spf', ctx.lang, {
    okText: t(
      `One valid SPF record using ${state.lookups} of 10 DNS lookups${ipResults.length ? `; ${ipResults.map((r) => r.ip).join(', ')} pass` : ''}.`,
      `一条有效的 SPF 记录，使用了 ${state.lookups}/10 次 DNS 查询${ipResults.length ? `；${ipResults.map((r) => r.ip).join('、')} 均通过` : ''}。`,
    ),
    records: [record],
    issues,
    details: { lookups: state.lookups, voidLookups: state.voids, includes: state.tree, sendingIps: ipResults },
    steps: [
      ...(unauthorised.length
        ? [t(`Add the sending IP(s) ${unauthorised.join(', ')} to the record (ip4:/ip6:) or include the SPF of the service that owns them.`, `把发信 IP ${unauthorised.join('、')} 加入记录（ip4:/ip6:），或 include 该 IP 所属服务的 SPF。`)]
        : []),
      ...(state.lookups > MAX_LOOKUPS
        ? [t('Reduce lookups: remove includes of services you no longer use, or replace them with ip4:/ip6: ranges.', '减少查询次数：删除不再使用的服务的 include，或改用 ip4:/ip6: 网段。')]
        : []),
      ...(state.loops.length ? [t('Remove the include that points back to a record already in the chain.', '删除指回链路中已有记录的那条 include。')] : []),
      ...baseSteps,
    ],
  });
}
