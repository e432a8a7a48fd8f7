// Domain monitoring: re-run the domain checks on a schedule and alert on changes that will hurt
// mail flow. Conditions are pure functions of the new report (and the previous one); the alert
// states make each one fire once per occurrence.
import type { AppContext } from '../app/context.js';
import { domainDeps } from '../app/domain-deps.js';
import { runDomainChecks, type DomainCheckDeps, type DomainCheckReport } from '../dns/index.js';
import { getTenant } from '../store/tenants.js';
import { createDeliveries, enqueuePendingDeliveries } from './notify.js';
import { alertSettingsOf } from './settings.js';
import { clearAlerts, raiseAlerts, type AlertCandidate } from './state.js';

export const DOMAIN_KINDS = ['domain_cert_expiring', 'domain_spf_lookups', 'domain_dkim_weak', 'domain_ip_blocklisted', 'domain_dmarc_missing', 'domain_mx_changed'] as const;
export type DomainKind = (typeof DOMAIN_KINDS)[number];

export interface DomainCondition {
  kind: DomainKind;
  subject: string;
  /** true: the problem is present now; false: it is gone (clears the state) */
  active: boolean;
  alert?: AlertCandidate;
}

type Check = DomainCheckReport['checks'][number];
const checkOf = (r: DomainCheckReport | null, id: string): Check | undefined => r?.checks.find((c) => c.id === id);
const mxSet = (r: DomainCheckReport | null): string[] | null => {
  const hosts = checkOf(r, 'mx')?.details.hosts as Array<{ exchange: string }> | undefined;
  return hosts ? hosts.map((h) => h.exchange.toLowerCase()).sort() : null;
};

const candidate = (subject: string, severity: AlertCandidate['severity'], en: string, zh: string, details: Record<string, unknown>): AlertCandidate => ({
  subject,
  severity,
  message: { en, zh },
  details,
});

/** Checks that ended in `error` (DNS did not answer) decide nothing: no alert and no recovery. */
export function domainConditions(domain: string, report: DomainCheckReport, previous: DomainCheckReport | null): DomainCondition[] {
  const out: DomainCondition[] = [];
  const usable = (id: string) => {
    const c = checkOf(report, id);
    return c && c.verdict !== 'error' ? c : undefined;
  };

  const smtp = usable('smtp');
  if (smtp) {
    const probes = (smtp.details.probes ?? []) as Array<{ host: string; tls: { daysToExpiry: number; validTo: string } | null }>;
    for (const p of probes) {
      if (!p.tls) continue;
      const days = p.tls.daysToExpiry;
      const subject = `${domain} ${p.host}`;
      out.push({
        kind: 'domain_cert_expiring',
        subject,
        active: days <= 14,
        alert: candidate(subject, days <= 3 ? 'critical' : 'warning',
          days < 0 ? `The TLS certificate of ${p.host} (MX of ${domain}) expired ${-days} day(s) ago. Renew it now: senders that require TLS cannot deliver.` : `The TLS certificate of ${p.host} (MX of ${domain}) expires in ${days} day(s) (${p.tls.validTo}). Renew it before then.`,
          days < 0 ? `${domain} 的 MX 主机 ${p.host} 的 TLS 证书已过期 ${-days} 天，请立即续期：要求加密的发件方将无法投递。` : `${domain} 的 MX 主机 ${p.host} 的 TLS 证书将在 ${days} 天后过期（${p.tls.validTo}），请提前续期。`,
          { host: p.host, daysToExpiry: days, validTo: p.tls.validTo }),
      });
    }
  }

  const spf = usable('spf');
  if (spf && typeof spf.details.lookups === 'number') {
    const n = spf.details.lookups;
    out.push({
      kind: 'domain_spf_lookups', subject: domain, active: n >= 9,
      alert: candidate(domain, n > 10 ? 'critical' : 'warning',
        `The SPF record of ${domain} needs ${n} DNS lookups (the limit is 10). One more include and receivers will treat SPF as a permanent error. Flatten or remove includes.`,
        `${domain} 的 SPF 记录需要 ${n} 次 DNS 查询（上限为 10 次）。再增加一个 include，收件方就会判定 SPF 永久错误。请精简或合并 include。`,
        { lookups: n }),
    });
  }

  const dkim = usable('dkim');
  if (dkim) {
    const keys = (dkim.details.keys ?? []) as Array<{ selector: string; bits: number | null; keyType: string; revoked: boolean }>;
    for (const k of keys) {
      if (k.revoked || k.keyType !== 'rsa' || k.bits === null) continue;
      const subject = `${domain} ${k.selector}`;
      out.push({
        kind: 'domain_dkim_weak', subject, active: k.bits < 2048,
        alert: candidate(subject, k.bits < 1024 ? 'critical' : 'warning',
          `The DKIM key "${k.selector}" of ${domain} is only ${k.bits} bits. Rotate to a 2048-bit key.`,
          `${domain} 的 DKIM 密钥“${k.selector}”只有 ${k.bits} 位，请更换为 2048 位密钥。`,
          { selector: k.selector, bits: k.bits }),
      });
    }
  }

  const dnsbl = usable('dnsbl');
  if (dnsbl) {
    const results = (dnsbl.details.results ?? []) as Array<{ ip: string; zone: string; status: string; meaning: string }>;
    for (const r of results) {
      if (r.status === 'error') continue;
      const subject = `${r.ip} ${r.zone}`;
      out.push({
        kind: 'domain_ip_blocklisted', subject, active: r.status === 'listed',
        alert: candidate(subject, 'critical',
          `The sending IP ${r.ip} of ${domain} is now listed on ${r.zone} (${r.meaning}). Mail from it will be refused by many receivers: find the cause (compromised account, open relay, spam) and request delisting.`,
          `${domain} 的发信 IP ${r.ip} 已被 ${r.zone} 列入黑名单（${r.meaning}）。很多收件方会拒收该 IP 的邮件：请先排查原因（账号被盗、开放转发、垃圾邮件），再申请移除。`,
          { ip: r.ip, zone: r.zone }),
      });
    }
  }

  const dmarc = usable('dmarc');
  if (dmarc) {
    const missing = dmarc.verdict === 'fail' && dmarc.records.length === 0;
    const hadIt = (checkOf(previous, 'dmarc')?.records.length ?? 0) > 0;
    out.push({
      kind: 'domain_dmarc_missing', subject: domain, active: missing,
      alert: candidate(domain, 'warning',
        `${domain} ${hadIt ? 'no longer has' : 'has no'} DMARC record. Gmail and Yahoo require one from bulk senders; publish _dmarc.${domain} again (start with p=none).`,
        `${domain} ${hadIt ? '的 DMARC 记录已被删除' : '没有 DMARC 记录'}。Gmail 和 Yahoo 要求批量发件方必须有 DMARC；请重新发布 _dmarc.${domain}（可先用 p=none）。`,
        { removed: hadIt }),
    });
  }

  const now = usable('mx') ? mxSet(report) : null;
  const before = mxSet(previous);
  if (now && before && now.join(' ') !== before.join(' ')) {
    // each new MX set is its own subject: a change alerts once, and a later change alerts again
    const subject = `${domain} ${now.join(',')}`;
    out.push({
      kind: 'domain_mx_changed', subject, active: true,
      alert: candidate(subject, 'warning',
        `The MX records of ${domain} changed from ${before.join(', ')} to ${now.join(', ')}. If nobody planned this, mail may be going to the wrong server.`,
        `${domain} 的 MX 记录已从 ${before.join('、')} 变为 ${now.join('、')}。如果这不是计划内的变更，邮件可能被投递到错误的服务器。`,
        { before, after: now }),
    });
  }
  return out;
}

export async function runDomainMonitoring(
  ctx: AppContext,
  tenantId: string,
  opts: { signal?: AbortSignal; deps?: DomainCheckDeps } = {},
): Promise<{ domains: number; raised: number; cleared: number }> {
  const tenant = await getTenant(ctx.db, tenantId);
  if (!tenant) return { domains: 0, raised: 0, cleared: 0 };
  const settings = alertSettingsOf(tenant);
  const r = await ctx.db.query<{ domain: string; expected_provider: string | null; sending_ips: string[]; dkim_selectors: string[]; last_report: DomainCheckReport | null }>(
    'SELECT domain, expected_provider, sending_ips, dkim_selectors, last_report FROM monitored_domains WHERE tenant_id = $1 ORDER BY domain',
    [tenantId],
  );
  const out = { domains: 0, raised: 0, cleared: 0 };
  for (const row of r.rows) {
    if (opts.signal?.aborted) throw new Error('domain monitoring cancelled');
    const report = await runDomainChecks(
      {
        domain: row.domain,
        ...(row.expected_provider ? { expectedProvider: row.expected_provider } : {}),
        sendingIps: row.sending_ips,
        dkimSelectors: row.dkim_selectors,
      },
      opts.deps ?? domainDeps(ctx),
    );
    const conditions = domainConditions(row.domain, report, row.last_report);
    await ctx.db.tx(async (q) => {
      for (const kind of DOMAIN_KINDS) {
        const mine = conditions.filter((c) => c.kind === kind);
        const raised = await raiseAlerts(q, tenantId, kind, mine.filter((c) => c.active && c.alert).map((c) => c.alert!));
        await createDeliveries(q, tenantId, raised.map((a) => a.id), settings);
        out.raised += raised.length;
        out.cleared += await clearAlerts(q, tenantId, kind, mine.filter((c) => !c.active).map((c) => c.subject));
        if (kind === 'domain_mx_changed' && raised.length) {
          // older MX sets of this domain are history now
          await q.query(
            `UPDATE alert_states SET active = false WHERE tenant_id = $1 AND kind = $2 AND subject LIKE $3 AND subject <> ALL($4::text[])`,
            [tenantId, kind, `${row.domain} %`, raised.map((a) => a.subject)],
          );
        }
      }
      await q.query('UPDATE monitored_domains SET last_report = $3::jsonb, last_checked_at = now() WHERE tenant_id = $1 AND domain = $2', [
        tenantId, row.domain, JSON.stringify(report),
      ]);
    });
    out.domains++;
  }
  await enqueuePendingDeliveries(ctx, tenantId);
  return out;
}
