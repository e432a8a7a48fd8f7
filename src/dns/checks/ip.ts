// Checks about the sending IPs: reverse DNS with forward confirmation, and DNS blocklists.
import { isIP } from 'node:net';
import { DnsQueryError } from '../resolver.js';
import { type CheckContext, type CheckOutcome, type Issue, outcome, say, txtText } from './common.js';

/** Expands an IPv6 address to its 32 hex digits. */
function ipv6Nibbles(ip: string): string[] {
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const h = head ? head.split(':') : [];
  const tl = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - tl.length).fill('0'), ...tl] : h;
  return groups.map((g) => g.padStart(4, '0')).join('').split('');
}

/** The reversed label form used by PTR (in-addr.arpa / ip6.arpa) and DNSBL lookups. */
export function reversedIp(ip: string): string {
  return isIP(ip) === 4 ? ip.split('.').reverse().join('.') : ipv6Nibbles(ip).reverse().join('.');
}

function sameIp(a: string, b: string): boolean {
  if (isIP(a) !== isIP(b)) return false;
  return isIP(a) === 4 ? a === b : ipv6Nibbles(a).join('') === ipv6Nibbles(b).join('');
}

export async function checkPtr(ctx: CheckContext): Promise<CheckOutcome> {
  const t = say(ctx.lang);
  const issues: Issue[] = [];
  const records: string[] = [];
  const perIp = await Promise.all(
    ctx.sendingIps.map(async (ip) => {
      const arpa = `${reversedIp(ip)}.${isIP(ip) === 4 ? 'in-addr.arpa' : 'ip6.arpa'}`;
      const ptr = await ctx.resolver.query(arpa, 'PTR');
      const names = ptr.records.map((n) => n.toLowerCase().replace(/\.$/, ''));
      const confirmed: string[] = [];
      await Promise.all(
        names.slice(0, 5).map(async (name) => {
          const fwd = await ctx.resolver.query(name, isIP(ip) === 4 ? 'A' : 'AAAA');
          if (fwd.records.some((addr) => sameIp(addr, ip))) confirmed.push(name);
        }),
      );
      return { ip, arpa, names, confirmed };
    }),
  );
  for (const r of perIp) {
    records.push(`${r.arpa} PTR ${r.names.length ? r.names.join(' ') : '(none)'}`);
    if (r.names.length === 0) {
      issues.push({
        level: 'fail', rootCause: 'ptr_missing', confidence: 0.9, evidence: `${r.arpa} PTR: (none)`,
        text: t(`${r.ip} has no reverse DNS (PTR) record; many receivers refuse mail from such IPs (e.g. 5.7.25).`, `${r.ip} 没有反向解析（PTR）记录；很多收件方会拒收来自这类 IP 的邮件（如 5.7.25）。`),
      });
    } else if (r.confirmed.length === 0) {
      issues.push({
        level: 'fail', rootCause: 'ptr_missing', confidence: 0.85, evidence: `${r.arpa} PTR ${r.names.join(' ')}`,
        text: t(`${r.ip} has PTR ${r.names.join(', ')}, but that name does not resolve back to ${r.ip} (no forward-confirmed reverse DNS).`, `${r.ip} 的 PTR 为 ${r.names.join('、')}，但该名称没有解析回 ${r.ip}（正反向解析不一致）。`),
      });
    }
  }
  return outcome('ptr', ctx.lang, {
    okText: t(`Every sending IP has a forward-confirmed PTR: ${perIp.map((r) => `${r.ip} → ${r.confirmed[0]}`).join(', ')}.`, `所有发信 IP 的 PTR 正反向一致：${perIp.map((r) => `${r.ip} → ${r.confirmed[0]}`).join('、')}。`),
    records,
    issues,
    details: { ips: perIp.map(({ ip, names, confirmed }) => ({ ip, ptr: names, forwardConfirmed: confirmed })) },
    steps: [
      t('Ask whoever owns the IP (your hosting/cloud provider or ISP) to set its PTR to a host name such as mail.<your domain>.', '联系 IP 的所有者（主机/云服务商或运营商），把 PTR 设置为一个主机名，例如 mail.<您的域名>。'),
      t('Publish an A/AAAA record for that host name pointing back to the same IP, and use the name as the server\'s HELO/EHLO name.', '为该主机名添加指回同一 IP 的 A/AAAA 记录，并把它设置为邮件服务器的 HELO/EHLO 名称。'),
    ],
  });
}

export async function checkDnsbl(ctx: CheckContext): Promise<CheckOutcome> {
  const t = say(ctx.lang);
  const issues: Issue[] = [];
  const records: string[] = [];
  const results: Array<{ ip: string; zone: string; status: 'listed' | 'clean' | 'error'; codes: string[]; meaning: string; txt?: string }> = [];
  await Promise.all(
    ctx.sendingIps.flatMap((ip) =>
      ctx.blocklists
        .filter((z) => z.ipv6 || isIP(ip) === 4)
        .map(async (zone) => {
          const qname = `${reversedIp(ip)}.${zone.zone}`;
          try {
            const answer = await ctx.resolver.query(qname, 'A');
            if (answer.records.length === 0) {
              results.push({ ip, zone: zone.name, status: 'clean', codes: [], meaning: '' });
              return;
            }
            records.push(`${qname} A ${answer.records.join(' ')}`);
            const refusal = answer.records.map((c) => zone.errorCodes[c]).find((x) => x !== undefined);
            if (refusal || answer.records.some((c) => !c.startsWith('127.'))) {
              const meaning = refusal ? t(refusal.en, refusal.zh) : t('unexpected answer (not 127.x); the resolver may rewrite NXDOMAIN', '意外的应答（不是 127.x）；解析器可能改写了 NXDOMAIN');
              results.push({ ip, zone: zone.name, status: 'error', codes: answer.records, meaning });
              issues.push({ level: 'error', text: t(`${zone.name} did not answer the lookup for ${ip}: ${meaning}.`, `${zone.name} 未能回答 ${ip} 的查询：${meaning}。`) });
              return;
            }
            const meaning = answer.records
              .map((c) => (zone.codes[c] ? t(zone.codes[c].en, zone.codes[c].zh) : t(`listed (code ${c})`, `已列入（代码 ${c}）`)))
              .filter((m, i, all) => all.indexOf(m) === i)
              .join('; ');
            const txt = await ctx.resolver.query(qname, 'TXT').then((a) => a.records.map(txtText).join(' '), () => '');
            results.push({ ip, zone: zone.name, status: 'listed', codes: answer.records, meaning, ...(txt ? { txt } : {}) });
            issues.push({
              level: 'fail', rootCause: 'ip_blocklisted', confidence: 0.9,
              evidence: `${qname} A ${answer.records.join(' ')}${txt ? ` "${txt}"` : ''}`,
              text: t(`${ip} is listed on ${zone.name} (${answer.records.join(', ')}): ${meaning}. Delisting: ${zone.removalUrl}`, `${ip} 被列入 ${zone.name}（${answer.records.join('、')}）：${meaning}。申请移除：${zone.removalUrl}`),
            });
          } catch (err) {
            if (!(err instanceof DnsQueryError)) throw err;
            results.push({ ip, zone: zone.name, status: 'error', codes: [], meaning: err.message });
            issues.push({ level: 'error', text: t(`Could not query ${zone.name} for ${ip}: ${err.failure}.`, `无法在 ${zone.name} 查询 ${ip}：${err.failure}。`) });
          }
        }),
    ),
  );
  const zones = ctx.blocklists.map((z) => z.name);
  return outcome('dnsbl', ctx.lang, {
    okText: t(`${ctx.sendingIps.join(', ')} not listed on ${zones.join(', ')}.`, `${ctx.sendingIps.join('、')} 未被 ${zones.join('、')} 列入。`),
    records,
    issues,
    details: { results },
    steps: [
      t('Find and stop the cause first: a compromised account or host, an open relay, or a bulk mailing without consent.', '先找到并消除原因：被盗账号或被入侵主机、开放中继、或未经同意的群发。'),
      t('Then request delisting on each blocklist\'s removal page (linked above); PBL listings are resolved by sending through your provider\'s relay instead.', '然后在各黑名单的移除页面（见上方链接）申请移除；PBL 列入应改为通过服务商的中继发信来解决。'),
    ],
  });
}
