// DKIM keys (RFC 6376 §3.6.1): looks up the given selectors plus the provider's defaults and
// reports presence, key type and size, revoked keys and test mode.
import { createPublicKey } from 'node:crypto';
import { COMMON_DKIM_SELECTORS, PROVIDERS } from '../providers.js';
import { type CheckContext, type CheckOutcome, type Issue, outcome, parseTags, say, txtText } from './common.js';

export interface DkimKeyInfo {
  selector: string;
  record: string;
  keyType: string;
  bits: number | null;
  revoked: boolean;
  testing: boolean;
  problem: string | null;
}

/** Reads one DKIM key record; `bits` is null when the key data cannot be decoded. */
export function inspectDkimRecord(selector: string, record: string): DkimKeyInfo {
  const { tags } = parseTags(record);
  const keyType = (tags.get('k') ?? 'rsa').toLowerCase();
  const p = (tags.get('p') ?? '').replace(/\s+/g, '');
  const info: DkimKeyInfo = {
    selector, record, keyType, bits: null, revoked: false,
    testing: (tags.get('t') ?? '').split(':').map((x) => x.trim()).includes('y'),
    problem: null,
  };
  const v = tags.get('v');
  if (v !== undefined && v !== 'DKIM1') info.problem = `v=${v}`;
  else if (!tags.has('p')) info.problem = 'no p= tag';
  else if (p === '') info.revoked = true;
  else if (keyType === 'ed25519') info.bits = Buffer.from(p, 'base64').length === 32 ? 256 : null;
  else if (keyType === 'rsa') {
    const der = Buffer.from(p, 'base64');
    for (const type of ['spki', 'pkcs1'] as const) {
      try {
        info.bits = createPublicKey({ key: der, format: 'der', type }).asymmetricKeyDetails?.modulusLength ?? null;
        break;
      } catch {
        // not this encoding; try the next one
      }
    }
  } else info.problem = `unknown key type k=${keyType}`;
  if (!info.problem && !info.revoked && info.bits === null) info.problem = 'key data cannot be decoded';
  return info;
}

export async function checkDkim(ctx: CheckContext): Promise<CheckOutcome> {
  const t = say(ctx.lang);
  const given = ctx.dkimSelectors;
  const guessed = (ctx.expected ? ctx.expected.dkimSelectors : PROVIDERS.flatMap((p) => p.dkimSelectors))
    .concat(COMMON_DKIM_SELECTORS)
    .filter((s) => !given.includes(s));
  const selectors = [...new Set([...given, ...guessed])];
  const found = (
    await Promise.all(
      selectors.map(async (selector) => {
        const answer = await ctx.resolver.query(`${selector}._domainkey.${ctx.domain}`, 'TXT');
        const record = answer.records.map(txtText).find((r) => /(^|;)\s*(v=DKIM1|p=)/i.test(r));
        return record === undefined ? null : inspectDkimRecord(selector, record);
      }),
    )
  ).filter((x): x is DkimKeyInfo => x !== null);

  const issues: Issue[] = [];
  const keyName = (s: string) => `${s}._domainkey.${ctx.domain}`;
  for (const s of given.filter((g) => !found.some((f) => f.selector === g))) {
    issues.push({
      level: 'fail',
      rootCause: 'dkim_failure',
      text: t(`No DKIM key is published for selector "${s}" (${keyName(s)}): signatures made with it cannot be verified.`, `选择器“${s}”没有发布 DKIM 公钥（${keyName(s)}）：用它签名的邮件无法验证。`),
      evidence: `${keyName(s)} TXT: (none)`,
    });
  }
  for (const k of found) {
    const ev = `${keyName(k.selector)}: ${k.record}`;
    const isGiven = given.includes(k.selector);
    if (k.problem) {
      issues.push({ level: 'fail', rootCause: 'dkim_failure', evidence: ev, text: t(`The DKIM record for "${k.selector}" is invalid (${k.problem}).`, `选择器“${k.selector}”的 DKIM 记录无效（${k.problem}）。`) });
    } else if (k.revoked) {
      issues.push({
        level: isGiven ? 'fail' : 'warn',
        ...(isGiven ? { rootCause: 'dkim_failure' as const } : {}),
        evidence: ev,
        text: t(`The DKIM key for "${k.selector}" is revoked (empty p=).`, `选择器“${k.selector}”的 DKIM 密钥已被吊销（p= 为空）。`),
      });
    } else if (k.keyType === 'rsa' && k.bits !== null && k.bits < 1024) {
      issues.push({ level: 'fail', rootCause: 'dkim_failure', evidence: ev, text: t(`The DKIM key "${k.selector}" is RSA ${k.bits}-bit; receivers reject keys under 1024 bits (RFC 8301).`, `DKIM 密钥“${k.selector}”为 RSA ${k.bits} 位；收件方会拒绝小于 1024 位的密钥（RFC 8301）。`) });
    } else if (k.keyType === 'rsa' && k.bits !== null && k.bits < 2048) {
      issues.push({ level: 'warn', evidence: ev, text: t(`The DKIM key "${k.selector}" is RSA ${k.bits}-bit; 2048 bits is the current recommendation.`, `DKIM 密钥“${k.selector}”为 RSA ${k.bits} 位；目前建议使用 2048 位。`) });
    }
    if (k.testing) {
      issues.push({ level: 'warn', evidence: ev, text: t(`The DKIM key "${k.selector}" is in test mode (t=y); receivers may ignore failures.`, `DKIM 密钥“${k.selector}”处于测试模式（t=y）；收件方可能忽略验证失败。`) });
    }
  }
  const usable = found.filter((k) => !k.problem && !k.revoked);
  if (found.length === 0 && given.length === 0) {
    issues.push({
      level: 'warn',
      text: t(`No DKIM key found at the usual selectors (${selectors.join(', ')}). Give the selector from the "s=" tag of a message's DKIM-Signature header to check it.`, `常用选择器（${selectors.join('、')}）下都没有找到 DKIM 密钥。请提供邮件 DKIM-Signature 头中“s=”的值以便检查。`),
    });
  }
  return outcome('dkim', ctx.lang, {
    okText: t(`DKIM keys found: ${usable.map((k) => `${k.selector} (${k.keyType} ${k.bits ?? '?'} bit)`).join(', ')}.`, `找到 DKIM 密钥：${usable.map((k) => `${k.selector}（${k.keyType} ${k.bits ?? '?'} 位）`).join('、')}。`),
    records: found.map((k) => `${keyName(k.selector)}: ${k.record}`),
    issues,
    details: {
      selectorsChecked: selectors,
      keys: found.map(({ selector, keyType, bits, revoked, testing, problem }) => ({ selector, keyType, bits, revoked, testing, problem })),
    },
    steps: [
      t('In your mail provider\'s admin console, generate a 2048-bit DKIM key and enable signing.', '在邮箱服务商管理后台生成 2048 位 DKIM 密钥并开启签名。'),
      t(`Publish the public key as a TXT record at <selector>._domainkey.${ctx.domain} exactly as the console shows it, then send a test message and check for "dkim=pass".`, `把公钥按后台显示的内容添加为 <selector>._domainkey.${ctx.domain} 的 TXT 记录，然后发一封测试邮件确认“dkim=pass”。`),
    ],
  });
}
