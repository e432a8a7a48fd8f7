// `mailmedic check <domain>`: runs the domain health checks and prints ✓ / ! / ✗ per check, or JSON.
import { parseArgs } from 'node:util';
import type { Lang } from '../../core/taxonomy.js';
import { createDomainCheckDeps, type DomainCheckReport, InvalidDomainCheckInput, runDomainChecks, type Verdict } from '../../dns/index.js';

const USAGE = `usage: mailmedic check <domain> [--expect google|microsoft365|tencent|netease|aliyun|zoho]
                       [--ip <sending ip>]... [--selector <dkim selector>]... [--lang en|zh] [--json]
                       [--dns <server[:port]>]... [--allow <ip or cidr>]... [--smtp-port <port>] [--timeout <ms>]
`;

const MARK: Record<Verdict, string> = { pass: '✓', warn: '!', fail: '✗', error: '?' };

function render(report: DomainCheckReport, lang: Lang): string {
  const zh = lang === 'zh';
  const out = [`${zh ? '域名检查' : 'Domain check'}: ${report.domain}  (${report.checkedAt})`, ''];
  for (const c of report.checks) {
    out.push(`${MARK[c.verdict]} ${c.title}`);
    out.push(`    ${c.explanation}`);
    for (const w of c.warnings.filter((x) => x !== c.explanation && !c.explanation.includes(x))) out.push(`    - ${w}`);
    if (c.verdict !== 'pass') for (const s of c.steps) out.push(`    → ${s}`);
  }
  for (const s of report.skipped) out.push(`- ${s.id}: ${zh ? '未检查' : 'not checked'} (${s.reason})`);
  if (report.findings.length) {
    out.push('', zh ? '根因：' : 'Root causes:');
    for (const f of report.findings) out.push(`  ${f.rootCause} (${f.confidence.toFixed(2)})`);
  }
  return `${out.join('\n')}\n`;
}

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        expect: { type: 'string' },
        ip: { type: 'string', multiple: true },
        selector: { type: 'string', multiple: true },
        lang: { type: 'string' },
        json: { type: 'boolean' },
        dns: { type: 'string', multiple: true },
        allow: { type: 'string', multiple: true },
        'smtp-port': { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`mailmedic check: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`mailmedic check: give exactly one domain\n${USAGE}`);
    return 2;
  }
  const lang: Lang = values.lang === 'zh' ? 'zh' : 'en';
  const smtpPort = values['smtp-port'] ? Number(values['smtp-port']) : undefined;
  const timeout = values.timeout ? Number(values.timeout) : undefined;
  if ((smtpPort !== undefined && !(smtpPort > 0 && smtpPort < 65536)) || (timeout !== undefined && !(timeout >= 100))) {
    process.stderr.write(`mailmedic check: --smtp-port must be 1-65535 and --timeout at least 100 ms\n`);
    return 2;
  }
  let deps;
  try {
    deps = createDomainCheckDeps({
      ...(values.dns ? { dnsServers: values.dns } : {}),
      ...(timeout ? { dnsTimeoutMs: timeout } : {}),
      probeAllowlist: values.allow ?? [],
      ...(smtpPort ? { smtpPort } : {}),
    });
  } catch (err) {
    process.stderr.write(`mailmedic check: ${(err as Error).message}\n`);
    return 2;
  }
  try {
    const report = await runDomainChecks(
      {
        domain: positionals[0]!,
        ...(values.expect ? { expectedProvider: values.expect } : {}),
        ...(values.ip ? { sendingIps: values.ip } : {}),
        ...(values.selector ? { dkimSelectors: values.selector } : {}),
        lang,
      },
      { ...deps, ...(timeout ? { timeoutMs: timeout } : {}) },
    );
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : render(report, lang));
    return report.checks.some((c) => c.verdict === 'fail') ? 1 : 0;
  } catch (err) {
    if (err instanceof InvalidDomainCheckInput) {
      process.stderr.write(`mailmedic check: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
