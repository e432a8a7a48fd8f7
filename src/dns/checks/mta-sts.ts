// MTA-STS (RFC 8461): the _mta-sts TXT record, the HTTPS policy and whether it covers every
// MX host; TLS-RPT (RFC 8460): the _smtp._tls reporting record.
import { request } from 'node:https';
import { isIP } from 'node:net';
import { type CheckContext, type CheckOutcome, type Issue, outcome, parseTags, say, trustContext, txtText } from './common.js';
import type { MxHost } from './mx.js';

const MAX_POLICY_BYTES = 64 * 1024;

export interface StsPolicy {
  version: string | null;
  mode: string | null;
  maxAge: number | null;
  mx: string[];
  errors: string[];
}

export function parseStsPolicy(body: string): StsPolicy {
  const policy: StsPolicy = { version: null, mode: null, maxAge: null, mx: [], errors: [] };
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) {
      policy.errors.push(line);
      continue;
    }
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === 'version') policy.version = value;
    else if (key === 'mode') policy.mode = value;
    else if (key === 'max_age') policy.maxAge = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    else if (key === 'mx') policy.mx.push(value.toLowerCase());
  }
  if (policy.version !== 'STSv1') policy.errors.push(`version: ${policy.version ?? '(missing)'}`);
  if (!['enforce', 'testing', 'none'].includes(policy.mode ?? '')) policy.errors.push(`mode: ${policy.mode ?? '(missing)'}`);
  if (policy.maxAge === null || Number.isNaN(policy.maxAge) || policy.maxAge > 31_557_600) policy.errors.push(`max_age: ${policy.maxAge ?? '(missing)'}`);
  if (policy.mode !== 'none' && policy.mx.length === 0) policy.errors.push('no mx: lines');
  return policy;
}

/** RFC 8461 §4.1: "*.example.com" matches exactly one extra left-most label. */
export function mxMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith('*.')) {
    const rest = pattern.slice(2);
    const dot = host.indexOf('.');
    return dot > 0 && host.slice(dot + 1) === rest;
  }
  return pattern === host;
}

interface Fetched {
  status: number;
  contentType: string;
  body: string;
}

function fetchPolicy(host: string, address: string, ctx: CheckContext): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: address,
        port: ctx.httpsPort,
        path: '/.well-known/mta-sts.txt',
        method: 'GET',
        servername: host,
        headers: { host, 'user-agent': 'mailmedic-domain-check' },
        timeout: ctx.probeTimeoutMs,
        ...(ctx.extraCa.length ? { secureContext: trustContext(ctx.extraCa) } : {}),
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
          if (body.length > MAX_POLICY_BYTES) req.destroy(new Error(`policy larger than ${MAX_POLICY_BYTES} bytes`));
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${ctx.probeTimeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });
}

export async function checkMtaSts(ctx: CheckContext, mxHosts: Promise<MxHost[]>): Promise<CheckOutcome> {
  const t = say(ctx.lang);
  const txtName = `_mta-sts.${ctx.domain}`;
  const answer = await ctx.resolver.query(txtName, 'TXT');
  const records = answer.records.map(txtText).filter((r) => /^v=STSv1\s*(;|$)/.test(r));
  const issues: Issue[] = [];
  const policyHost = `mta-sts.${ctx.domain}`;
  const steps = [
    t(`Publish a TXT record at ${txtName} such as "v=STSv1; id=20240101" and serve the policy at https://${policyHost}/.well-known/mta-sts.txt with a valid certificate.`, `在 ${txtName} 上发布 TXT 记录，例如“v=STSv1; id=20240101”，并通过有效证书在 https://${policyHost}/.well-known/mta-sts.txt 提供策略文件。`),
    t('List every MX host in the policy ("mx:" lines), start with mode: testing, then switch to enforce and change the id.', '在策略中列出所有 MX 主机（“mx:”行），先用 mode: testing，确认无误后改为 enforce 并更新 id。'),
  ];
  if (records.length === 0) {
    issues.push({ level: 'warn', text: t('MTA-STS is not set up: sending servers may fall back to unencrypted delivery if an attacker strips STARTTLS.', '未配置 MTA-STS：若攻击者剥离 STARTTLS，发件服务器可能退回明文投递。') });
    return outcome('mta-sts', ctx.lang, { okText: '', records: [], issues, steps });
  }
  if (records.length > 1) {
    issues.push({ level: 'fail', rootCause: 'tls_failure', evidence: records.join(' | '), text: t(`${txtName} has ${records.length} STSv1 records; senders then treat MTA-STS as not configured.`, `${txtName} 有 ${records.length} 条 STSv1 记录；发件方会视为未配置 MTA-STS。`) });
    return outcome('mta-sts', ctx.lang, { okText: '', records, issues, steps });
  }
  const record = records[0]!;
  const id = parseTags(record).tags.get('id') ?? '';
  if (!/^[A-Za-z0-9]{1,32}$/.test(id)) {
    issues.push({ level: 'fail', rootCause: 'tls_failure', evidence: record, text: t(`The id tag "${id}" must be 1–32 letters or digits.`, `id 标签“${id}”必须是 1–32 位字母或数字。`) });
  }

  const [a, aaaa] = await Promise.all([ctx.resolver.query(policyHost, 'A'), ctx.resolver.query(policyHost, 'AAAA')]);
  const addresses = [...a.records, ...aaaa.records];
  const allowed = addresses.filter((ip) => ctx.guard.check(ip).allowed);
  let policy: StsPolicy | null = null;
  let fetched: Fetched | null = null;
  if (addresses.length === 0) {
    issues.push({ level: 'fail', rootCause: 'tls_failure', evidence: `${policyHost}: no A/AAAA`, text: t(`${policyHost} does not resolve, so the policy cannot be fetched.`, `${policyHost} 无法解析，无法获取策略文件。`) });
  } else if (allowed.length === 0) {
    issues.push({ level: 'fail', rootCause: 'tls_failure', evidence: `${policyHost} A ${addresses.join(' ')}`, text: t(`${policyHost} points at a non-public address (${addresses.join(', ')}); it was not contacted.`, `${policyHost} 指向非公网地址（${addresses.join('、')}）；未进行访问。`) });
  } else {
    const address = allowed.find((x) => isIP(x) === 4) ?? allowed[0]!;
    try {
      fetched = await fetchPolicy(policyHost, address, ctx);
      if (fetched.status !== 200) {
        issues.push({ level: 'fail', rootCause: 'tls_failure', evidence: `GET https://${policyHost}/.well-known/mta-sts.txt → ${fetched.status}`, text: t(`The policy URL answered HTTP ${fetched.status}.`, `策略地址返回 HTTP ${fetched.status}。`) });
      } else {
        if (!/^text\/plain/i.test(fetched.contentType)) {
          issues.push({ level: 'warn', text: t(`The policy is served as "${fetched.contentType}"; RFC 8461 requires text/plain.`, `策略文件的类型为“${fetched.contentType}”；RFC 8461 要求 text/plain。`) });
        }
        policy = parseStsPolicy(fetched.body);
        for (const e of policy.errors) {
          issues.push({ level: 'fail', rootCause: 'tls_failure', evidence: fetched.body.slice(0, 500), text: t(`The policy file is invalid: ${e}.`, `策略文件无效：${e}。`) });
        }
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      const unreachable = ['ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code);
      issues.push({
        level: unreachable ? 'error' : 'fail',
        ...(unreachable ? {} : { rootCause: 'tls_failure' as const, evidence: `https://${policyHost}: ${(err as Error).message}` }),
        text: t(`Fetching https://${policyHost}/.well-known/mta-sts.txt failed: ${(err as Error).message}.`, `获取 https://${policyHost}/.well-known/mta-sts.txt 失败：${(err as Error).message}。`),
      });
    }
  }

  const hosts = await mxHosts;
  let uncovered: string[] = [];
  if (policy && policy.errors.length === 0 && policy.mode !== 'none') {
    uncovered = hosts.map((h) => h.exchange).filter((h) => !policy!.mx.some((p) => mxMatches(p, h)));
    if (uncovered.length > 0) {
      const enforce = policy.mode === 'enforce';
      issues.push({
        level: enforce ? 'fail' : 'warn',
        ...(enforce ? { rootCause: 'tls_failure' as const } : {}),
        evidence: `mx patterns: ${policy.mx.join(', ')}`,
        text: t(`The policy (mode ${policy.mode}) does not cover MX host(s) ${uncovered.join(', ')}${enforce ? '; MTA-STS senders will refuse to deliver to them' : ''}.`, `策略（mode ${policy.mode}）未覆盖 MX 主机 ${uncovered.join('、')}${enforce ? '；支持 MTA-STS 的发件方将拒绝向其投递' : ''}。`),
      });
    }
  }
  if (policy?.mode === 'testing' && uncovered.length === 0 && policy.errors.length === 0) {
    issues.push({ level: 'warn', text: t('The policy is in testing mode: failures are reported but mail is still delivered without TLS.', '策略处于 testing 模式：只报告失败，邮件仍可能在未加密的情况下投递。') });
  }
  return outcome('mta-sts', ctx.lang, {
    okText: t(`MTA-STS policy (mode ${policy?.mode}) covers all MX hosts.`, `MTA-STS 策略（mode ${policy?.mode}）覆盖全部 MX 主机。`),
    records: [record, ...(fetched ? [fetched.body.trim()] : [])],
    issues,
    details: { id, policyHost, policy, uncovered },
    steps,
  });
}

export async function checkTlsRpt(ctx: CheckContext): Promise<CheckOutcome> {
  const t = say(ctx.lang);
  const name = `_smtp._tls.${ctx.domain}`;
  const answer = await ctx.resolver.query(name, 'TXT');
  const records = answer.records.map(txtText).filter((r) => /^v=TLSRPTv1\s*(;|$)/.test(r));
  const issues: Issue[] = [];
  let rua: string[] = [];
  if (records.length === 0) {
    issues.push({ level: 'warn', text: t(`No TLS-RPT record at ${name}: you will not hear about TLS delivery failures to your domain.`, `${name} 没有 TLS-RPT 记录：您将无法得知其他服务器向本域加密投递失败的情况。`) });
  } else if (records.length > 1) {
    issues.push({ level: 'fail', evidence: records.join(' | '), text: t(`${name} has ${records.length} TLS-RPT records; senders ignore them all.`, `${name} 有 ${records.length} 条 TLS-RPT 记录；发件方会全部忽略。`) });
  } else {
    rua = (parseTags(records[0]!).tags.get('rua') ?? '').split(',').map((u) => u.trim()).filter(Boolean);
    const bad = rua.filter((u) => !/^mailto:[^@\s]+@[^@\s]+$/i.test(u) && !/^https:\/\/\S+$/i.test(u));
    if (rua.length === 0 || bad.length > 0) {
      issues.push({ level: 'fail', evidence: records[0]!, text: t(`rua must list mailto: or https: destinations${bad.length ? `; invalid: ${bad.join(', ')}` : ''}.`, `rua 必须列出 mailto: 或 https: 地址${bad.length ? `；无效：${bad.join('、')}` : ''}。`) });
    }
  }
  return outcome('tls-rpt', ctx.lang, {
    okText: t(`TLS reports go to ${rua.join(', ')}.`, `TLS 报告发往 ${rua.join('、')}。`),
    records,
    issues,
    details: { rua },
    steps: [t(`Publish one TXT record at ${name}: "v=TLSRPTv1; rua=mailto:tls-reports@${ctx.domain}".`, `在 ${name} 上发布一条 TXT 记录：“v=TLSRPTv1; rua=mailto:tls-reports@${ctx.domain}”。`)],
  });
}
