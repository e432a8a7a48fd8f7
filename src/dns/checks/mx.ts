// MX: present, resolvable, not an IP or a CNAME, null MX (RFC 7505), expected provider.
import { isIP } from 'node:net';
import { providerOfMx } from '../providers.js';
import { type CheckContext, type CheckOutcome, type Issue, outcome, say } from './common.js';

export interface MxHost {
  exchange: string;
  priority: number;
  addresses: string[];
  /** addresses the guard allows us to probe */
  probeable: string[];
}

export interface MxOutcome {
  result: CheckOutcome;
  hosts: MxHost[];
}

const MAX_HOSTS = 10;

export async function checkMx(ctx: CheckContext): Promise<MxOutcome> {
  const t = say(ctx.lang);
  const { domain, resolver, expected } = ctx;
  const answer = await resolver.query(domain, 'MX');
  const records = answer.records.map((r) => `${r.priority} ${r.exchange || '.'}`);
  const issues: Issue[] = [];
  const expectedText = expected
    ? expected.documentedMx.map(([p, h]) => `${p} ${h}`).join(', ')
    : '';
  const providerSteps = expected
    ? [
        t(
          `At your DNS host, replace the MX records of ${domain} with the ones ${expected.name.en} documents: ${expectedText}.`,
          `在域名解析服务商处，把 ${domain} 的 MX 记录改为${expected.name.zh}要求的值：${expectedText}。`,
        ),
        t('Delete MX records that point anywhere else, then wait for the old TTL to expire.', '删除指向其他服务器的 MX 记录，并等待旧记录的 TTL 过期。'),
      ]
    : [];

  if (answer.status === 'nxdomain') {
    issues.push({
      level: 'fail',
      rootCause: 'sender_domain_invalid',
      text: t(`The domain ${domain} does not exist in DNS (NXDOMAIN).`, `域名 ${domain} 在 DNS 中不存在（NXDOMAIN）。`),
      evidence: `${domain}: NXDOMAIN`,
    });
    return {
      result: outcome('mx', ctx.lang, {
        okText: '', records, issues,
        steps: [t('Check the spelling of the domain and that its registration and name servers are active.', '检查域名拼写，并确认域名注册未过期、DNS 服务器配置正确。')],
      }),
      hosts: [],
    };
  }

  const nullMx = answer.records.filter((r) => r.exchange === '' || r.exchange === '.');
  if (nullMx.length > 0) {
    const alone = answer.records.length === 1;
    issues.push({
      level: expected || !alone ? 'fail' : 'warn',
      rootCause: 'mx_misconfigured',
      text: alone
        ? t(`${domain} publishes a null MX (RFC 7505): it declares that it accepts no mail at all.`, `${domain} 发布了空 MX 记录（RFC 7505）：表示该域不接收任何邮件。`)
        : t('A null MX must be the only MX record (RFC 7505), but other MX records exist too.', '空 MX 记录必须是唯一的 MX 记录（RFC 7505），但同时还存在其他 MX 记录。'),
      evidence: records.join(', '),
    });
    return {
      result: outcome('mx', ctx.lang, {
        okText: '', records, issues, details: { nullMx: true },
        steps: [
          t('If the domain should receive mail, remove the "0 ." MX record and publish your provider\'s MX records.', '如果该域需要收信，删除“0 .”这条 MX 记录，并添加邮箱服务商提供的 MX 记录。'),
          ...providerSteps,
        ],
      }),
      hosts: [],
    };
  }

  if (answer.records.length === 0) {
    const [a, aaaa] = await Promise.all([resolver.query(domain, 'A'), resolver.query(domain, 'AAAA')]);
    const fallback = [...a.records, ...aaaa.records];
    issues.push({
      level: fallback.length && !expected ? 'warn' : 'fail',
      rootCause: 'mx_misconfigured',
      text: fallback.length
        ? t(`${domain} has no MX record; senders fall back to its A/AAAA address (${fallback.join(', ')}), which is rarely a mail server.`, `${domain} 没有 MX 记录；发件方会退而投递到它的 A/AAAA 地址（${fallback.join(', ')}），而这通常不是邮件服务器。`)
        : t(`${domain} has no MX record and no address, so nobody can deliver mail to it.`, `${domain} 既没有 MX 记录也没有地址记录，任何人都无法向其投递邮件。`),
      evidence: `${domain} MX: (none)`,
    });
    return {
      result: outcome('mx', ctx.lang, {
        okText: '', records, issues, details: { implicitMx: fallback },
        steps: providerSteps.length ? providerSteps : [t('Publish MX records for the domain pointing at your mail server or provider.', '为该域添加指向邮件服务器或邮箱服务商的 MX 记录。')],
      }),
      hosts: [],
    };
  }

  const sorted = [...answer.records].sort((x, y) => x.priority - y.priority).slice(0, MAX_HOSTS);
  const hosts: MxHost[] = await Promise.all(
    sorted.map(async (r) => {
      const exchange = r.exchange.toLowerCase().replace(/\.$/, '');
      if (isIP(exchange)) {
        issues.push({
          level: 'fail',
          rootCause: 'mx_misconfigured',
          text: t(`MX "${exchange}" is an IP address; an MX must name a host (RFC 5321 §5.1), many senders will not deliver to it.`, `MX“${exchange}”是一个 IP 地址；MX 必须是主机名（RFC 5321 §5.1），很多发件方不会向其投递。`),
          evidence: `${r.priority} ${exchange}`,
        });
        return { exchange, priority: r.priority, addresses: [], probeable: [] };
      }
      const [cname, a, aaaa] = await Promise.all([
        resolver.query(exchange, 'CNAME'),
        resolver.query(exchange, 'A'),
        resolver.query(exchange, 'AAAA'),
      ]);
      if (cname.records.length > 0) {
        issues.push({
          level: 'warn',
          rootCause: 'mx_misconfigured',
          text: t(`MX host ${exchange} is an alias (CNAME → ${cname.records[0]}); RFC 2181 §10.3 forbids this and some senders refuse it.`, `MX 主机 ${exchange} 是别名（CNAME → ${cname.records[0]}）；RFC 2181 §10.3 禁止这样配置，部分发件方会拒绝投递。`),
          evidence: `${exchange} CNAME ${cname.records[0]}`,
        });
      }
      const addresses = [...a.records, ...aaaa.records];
      const probeable = addresses.filter((ip) => ctx.guard.check(ip).allowed);
      if (addresses.length > 0 && probeable.length === 0) {
        const d = ctx.guard.check(addresses[0]!);
        const reason = t(d.reason ?? '', d.reasonZh ?? d.reason ?? '');
        issues.push({
          level: 'fail',
          rootCause: 'mx_misconfigured',
          text: t(`MX host ${exchange} points at ${addresses.join(', ')} (${reason}), which other servers on the internet cannot reach.`, `MX 主机 ${exchange} 指向 ${addresses.join(', ')}（${reason}地址），互联网上的其他服务器无法访问。`),
          evidence: `${exchange} A ${addresses.join(' ')}`,
        });
      }
      return { exchange, priority: r.priority, addresses, probeable };
    }),
  );

  const detected = [...new Set(hosts.map((h) => providerOfMx(h.exchange)?.id ?? 'other'))];
  if (expected) {
    const foreign = hosts.filter((h) => providerOfMx(h.exchange)?.id !== expected.id);
    if (foreign.length > 0) {
      const all = foreign.length === hosts.length;
      issues.push({
        level: 'fail',
        rootCause: 'mx_misconfigured',
        text: all
          ? t(`MX points to ${foreign.map((h) => h.exchange).join(', ')} but ${expected.name.en} expects ${expectedText}.`, `MX 指向 ${foreign.map((h) => h.exchange).join('、')}，但${expected.name.zh}要求的是 ${expectedText}。`)
          : t(`Besides ${expected.name.en}, MX also points to ${foreign.map((h) => h.exchange).join(', ')}: part of your mail is delivered elsewhere.`, `除${expected.name.zh}外，MX 还指向 ${foreign.map((h) => h.exchange).join('、')}：部分邮件会被投递到别处。`),
        evidence: records.join(', '),
      });
    }
  } else if (detected.filter((d) => d !== 'other').length > 1) {
    issues.push({
      level: 'warn',
      rootCause: 'mx_misconfigured',
      text: t(`MX records point to more than one mail provider (${detected.join(', ')}); mail may land in different systems.`, `MX 记录指向多个邮箱服务商（${detected.join('、')}）；邮件可能被投递到不同的系统。`),
      evidence: records.join(', '),
    });
  }
  // a dead backup MX is a warning while the preferred one resolves; a dead primary is a failure
  const primaryResolves = (hosts[0]?.addresses.length ?? 0) > 0 || isIP(hosts[0]?.exchange ?? '') !== 0;
  for (const h of hosts.filter((x) => x.addresses.length === 0 && !isIP(x.exchange))) {
    issues.push({
      level: primaryResolves ? 'warn' : 'fail',
      rootCause: 'mx_misconfigured',
      text: t(`MX host ${h.exchange} does not resolve to any address.`, `MX 主机 ${h.exchange} 解析不到任何地址。`),
      evidence: `${h.priority} ${h.exchange}: no A/AAAA`,
    });
  }

  return {
    result: outcome('mx', ctx.lang, {
      okText: t(`${hosts.length} MX host(s), all resolvable: ${hosts.map((h) => h.exchange).join(', ')}.`, `共 ${hosts.length} 个 MX 主机，均可解析：${hosts.map((h) => h.exchange).join('、')}。`),
      records,
      issues,
      details: {
        hosts: hosts.map(({ exchange, priority, addresses }) => ({ exchange, priority, addresses })),
        detectedProviders: detected,
        expectedProvider: expected?.id ?? null,
      },
      steps: providerSteps.length
        ? providerSteps
        : [t('Point every MX record at a host name (not an IP or alias) that resolves to your mail server\'s public address.', '让每条 MX 记录指向一个主机名（不要用 IP 或别名），且该主机名解析到邮件服务器的公网地址。')],
    }),
    hosts,
  };
}
