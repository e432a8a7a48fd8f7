// SMTP reply parser: RFC 5321 reply codes and RFC 3463 enhanced status codes (class.subject.detail,
// every subject/detail in the IANA "SMTP Enhanced Status Codes" registry), found anywhere in a
// text — at the start of a reply, in multi-line replies (`550-5.7.26 ...`), buried in prose or in
// Chinese sentences with full-width punctuation. All patterns are single-pass and linear.
import type { Lang, Reason, RootCause } from '../core/taxonomy.js';

export interface SmtpCodes {
  /** the reply code that decided (first permanent one, else first transient one) */
  replyCode: string | null;
  /** the enhanced status code that goes with it (or the first one seen) */
  enhancedStatus: string | null;
  /** offset of the chosen code in the scanned text (for evidence), -1 when none */
  index: number;
  /** the exact span (e.g. "550-5.7.26" or "550 5.7.1"), empty when none */
  span: string;
}

interface StatusEntry {
  en: string;
  zh: string;
  /** what the code alone says, when no phrase says more */
  reason: Reason;
  rootCause: RootCause;
}

/** Registered subject.detail values (RFC 3463, 3886, 4468, 4865, 4954, 5248, 6710, 7293, 7372, 7505, 8689). */
export const STATUS_DETAILS: Readonly<Record<string, StatusEntry>> = {
  '0.0': { en: 'Other undefined status', zh: '其他未定义状态', reason: 'undefined', rootCause: 'unknown' },
  '1.0': { en: 'Other address status', zh: '其他地址状态', reason: 'userunknown', rootCause: 'recipient_unknown' },
  '1.1': { en: 'Bad destination mailbox address', zh: '收件人邮箱地址不存在', reason: 'userunknown', rootCause: 'recipient_unknown' },
  '1.2': { en: 'Bad destination system address', zh: '收件人域名或系统地址无效', reason: 'hostunknown', rootCause: 'recipient_domain_invalid' },
  '1.3': { en: 'Bad destination mailbox address syntax', zh: '收件人地址格式错误', reason: 'userunknown', rootCause: 'recipient_unknown' },
  '1.4': { en: 'Destination mailbox address ambiguous', zh: '收件人地址不明确', reason: 'userunknown', rootCause: 'recipient_unknown' },
  '1.5': { en: 'Destination address valid', zh: '收件人地址有效', reason: 'undefined', rootCause: 'unknown' },
  '1.6': { en: 'Destination mailbox has moved, no forwarding address', zh: '收件人邮箱已迁移，无转发地址', reason: 'hasmoved', rootCause: 'recipient_unknown' },
  '1.7': { en: "Bad sender's mailbox address syntax", zh: '发件人地址格式错误', reason: 'rejected', rootCause: 'protocol_error' },
  '1.8': { en: "Bad sender's system address", zh: '发件人域名无效', reason: 'rejected', rootCause: 'sender_domain_invalid' },
  '1.9': { en: 'Message relayed to non-compliant mailer', zh: '邮件被转发到不兼容的邮件系统', reason: 'undefined', rootCause: 'unknown' },
  '1.10': { en: 'Recipient address has null MX', zh: '收件人域名声明不接收邮件（Null MX）', reason: 'notaccept', rootCause: 'recipient_domain_invalid' },
  '2.0': { en: 'Other or undefined mailbox status', zh: '其他邮箱状态', reason: 'undefined', rootCause: 'unknown' },
  '2.1': { en: 'Mailbox disabled, not accepting messages', zh: '收件人邮箱已停用，不接收邮件', reason: 'suspend', rootCause: 'mailbox_disabled' },
  '2.2': { en: 'Mailbox full', zh: '收件人邮箱已满', reason: 'mailboxfull', rootCause: 'mailbox_full' },
  '2.3': { en: 'Message length exceeds administrative limit', zh: '邮件大小超过管理限制', reason: 'exceedlimit', rootCause: 'message_too_large' },
  '2.4': { en: 'Mailing list expansion problem', zh: '邮件列表展开失败', reason: 'systemerror', rootCause: 'server_error' },
  '3.0': { en: 'Other or undefined mail system status', zh: '其他邮件系统状态', reason: 'systemerror', rootCause: 'server_error' },
  '3.1': { en: 'Mail system full', zh: '邮件系统存储已满', reason: 'systemfull', rootCause: 'server_error' },
  '3.2': { en: 'System not accepting network messages', zh: '系统暂不接收网络邮件', reason: 'notaccept', rootCause: 'server_error' },
  '3.3': { en: 'System not capable of selected features', zh: '系统不支持所选功能', reason: 'systemerror', rootCause: 'server_error' },
  '3.4': { en: 'Message too big for system', zh: '邮件过大，系统无法处理', reason: 'mesgtoobig', rootCause: 'message_too_large' },
  '3.5': { en: 'System incorrectly configured', zh: '系统配置错误', reason: 'systemerror', rootCause: 'server_error' },
  '3.6': { en: 'Requested priority was changed', zh: '请求的优先级已被更改', reason: 'undefined', rootCause: 'unknown' },
  '4.0': { en: 'Other or undefined network or routing status', zh: '其他网络或路由状态', reason: 'networkerror', rootCause: 'connection_failed' },
  '4.1': { en: 'No answer from host', zh: '对方主机无应答', reason: 'networkerror', rootCause: 'connection_failed' },
  '4.2': { en: 'Bad connection', zh: '连接异常', reason: 'networkerror', rootCause: 'connection_failed' },
  '4.3': { en: 'Directory server failure', zh: '目录服务器故障', reason: 'systemerror', rootCause: 'server_error' },
  '4.4': { en: 'Unable to route', zh: '无法路由（找不到投递路径）', reason: 'hostunknown', rootCause: 'mx_misconfigured' },
  '4.5': { en: 'Mail system congestion', zh: '邮件系统拥塞', reason: 'systemfull', rootCause: 'server_error' },
  '4.6': { en: 'Routing loop detected', zh: '检测到路由环路', reason: 'networkerror', rootCause: 'mx_misconfigured' },
  '4.7': { en: 'Delivery time expired', zh: '投递超时，邮件已过期', reason: 'expired', rootCause: 'message_expired' },
  '4.8': { en: 'Delivery not possible due to invalid requested delivery time', zh: '请求的投递时间无效', reason: 'syntaxerror', rootCause: 'protocol_error' },
  '5.0': { en: 'Other or undefined protocol status', zh: '其他协议状态', reason: 'syntaxerror', rootCause: 'protocol_error' },
  '5.1': { en: 'Invalid command', zh: '无效命令', reason: 'syntaxerror', rootCause: 'protocol_error' },
  '5.2': { en: 'Syntax error', zh: '语法错误', reason: 'syntaxerror', rootCause: 'protocol_error' },
  '5.3': { en: 'Too many recipients', zh: '收件人过多', reason: 'toomanyconn', rootCause: 'sending_quota_exceeded' },
  '5.4': { en: 'Invalid command arguments', zh: '命令参数无效', reason: 'syntaxerror', rootCause: 'protocol_error' },
  '5.5': { en: 'Wrong protocol version', zh: '协议版本错误', reason: 'syntaxerror', rootCause: 'protocol_error' },
  '5.6': { en: 'Authentication exchange line is too long', zh: '认证交互数据过长', reason: 'syntaxerror', rootCause: 'protocol_error' },
  '6.0': { en: 'Other or undefined media error', zh: '其他内容格式错误', reason: 'contenterror', rootCause: 'protocol_error' },
  '6.1': { en: 'Media not supported', zh: '不支持的内容类型', reason: 'contenterror', rootCause: 'protocol_error' },
  '6.2': { en: 'Conversion required and prohibited', zh: '需要转换但被禁止', reason: 'contenterror', rootCause: 'protocol_error' },
  '6.3': { en: 'Conversion required but not supported', zh: '需要转换但不支持', reason: 'contenterror', rootCause: 'protocol_error' },
  '6.4': { en: 'Conversion with loss performed', zh: '转换时有内容丢失', reason: 'contenterror', rootCause: 'protocol_error' },
  '6.5': { en: 'Conversion failed', zh: '内容转换失败', reason: 'contenterror', rootCause: 'protocol_error' },
  '6.6': { en: 'Message content not available', zh: '邮件内容不可用', reason: 'contenterror', rootCause: 'protocol_error' },
  '6.7': { en: 'Non-ASCII addresses not permitted for that sender/recipient', zh: '该发件人/收件人不允许使用非 ASCII 地址', reason: 'contenterror', rootCause: 'protocol_error' },
  '6.8': { en: 'UTF-8 string reply is required, but not permitted by the SMTP client', zh: '需要 UTF-8 回复但客户端不支持', reason: 'contenterror', rootCause: 'protocol_error' },
  '6.9': { en: 'UTF-8 header message cannot be transferred to one or more recipients', zh: '含 UTF-8 邮件头的邮件无法投递给部分收件人', reason: 'contenterror', rootCause: 'protocol_error' },
  '6.10': { en: 'Duplicate of 6.8 (reserved)', zh: '保留（同 6.8）', reason: 'contenterror', rootCause: 'protocol_error' },
  '7.0': { en: 'Other or undefined security status', zh: '其他安全状态', reason: 'securityerror', rootCause: 'policy_rejected' },
  '7.1': { en: 'Delivery not authorized, message refused', zh: '投递未获授权，邮件被拒绝', reason: 'policyviolation', rootCause: 'policy_rejected' },
  '7.2': { en: 'Mailing list expansion prohibited', zh: '禁止展开邮件列表', reason: 'policyviolation', rootCause: 'policy_rejected' },
  '7.3': { en: 'Security conversion required but not possible', zh: '需要安全转换但无法完成', reason: 'securityerror', rootCause: 'tls_failure' },
  '7.4': { en: 'Security features not supported', zh: '不支持所需的安全功能', reason: 'securityerror', rootCause: 'tls_failure' },
  '7.5': { en: 'Cryptographic failure', zh: '加密处理失败', reason: 'securityerror', rootCause: 'tls_failure' },
  '7.6': { en: 'Cryptographic algorithm not supported', zh: '不支持的加密算法', reason: 'securityerror', rootCause: 'tls_failure' },
  '7.7': { en: 'Message integrity failure', zh: '邮件完整性校验失败', reason: 'securityerror', rootCause: 'protocol_error' },
  '7.8': { en: 'Authentication credentials invalid', zh: '认证凭据无效（用户名或密码错误）', reason: 'securityerror', rootCause: 'auth_credentials_invalid' },
  '7.9': { en: 'Authentication mechanism is too weak', zh: '认证方式强度不足', reason: 'securityerror', rootCause: 'auth_method_disabled' },
  '7.10': { en: 'Encryption needed', zh: '需要加密连接', reason: 'securityerror', rootCause: 'starttls_required' },
  '7.11': { en: 'Encryption required for requested authentication mechanism', zh: '所用认证方式要求加密连接', reason: 'securityerror', rootCause: 'starttls_required' },
  '7.12': { en: 'A password transition is needed', zh: '需要更换密码', reason: 'securityerror', rootCause: 'auth_credentials_invalid' },
  '7.13': { en: 'User account disabled', zh: '用户账号已停用', reason: 'suspend', rootCause: 'mailbox_disabled' },
  '7.14': { en: 'Trust relationship required', zh: '需要建立信任关系', reason: 'securityerror', rootCause: 'sender_not_authenticated' },
  '7.15': { en: 'Priority level is too low', zh: '优先级过低', reason: 'policyviolation', rootCause: 'policy_rejected' },
  '7.16': { en: 'Message is too big for the specified priority', zh: '邮件相对指定优先级过大', reason: 'mesgtoobig', rootCause: 'message_too_large' },
  '7.17': { en: 'Mailbox owner has changed', zh: '邮箱所有者已变更', reason: 'hasmoved', rootCause: 'recipient_unknown' },
  '7.18': { en: 'Domain owner has changed', zh: '域名所有者已变更', reason: 'hasmoved', rootCause: 'recipient_domain_invalid' },
  '7.19': { en: 'RRVS test cannot be completed', zh: 'RRVS 检查无法完成', reason: 'policyviolation', rootCause: 'policy_rejected' },
  '7.20': { en: 'No passing DKIM signature found', zh: '未找到通过验证的 DKIM 签名', reason: 'authfailure', rootCause: 'dkim_failure' },
  '7.21': { en: 'No acceptable DKIM signature found', zh: '未找到可接受的 DKIM 签名', reason: 'authfailure', rootCause: 'dkim_failure' },
  '7.22': { en: 'No valid author-matched DKIM signature found', zh: '未找到与发件人域名匹配的有效 DKIM 签名', reason: 'authfailure', rootCause: 'dkim_failure' },
  '7.23': { en: 'SPF validation failed', zh: 'SPF 验证失败', reason: 'authfailure', rootCause: 'spf_failure' },
  '7.24': { en: 'SPF validation error', zh: 'SPF 验证出错', reason: 'authfailure', rootCause: 'spf_failure' },
  '7.25': { en: 'Reverse DNS validation failed', zh: '反向解析（PTR）验证失败', reason: 'requireptr', rootCause: 'ptr_missing' },
  '7.26': { en: 'Multiple authentication checks failed', zh: '多项发件认证（SPF/DKIM/DMARC）未通过', reason: 'authfailure', rootCause: 'dmarc_failure' },
  '7.27': { en: 'Sender address has null MX', zh: '发件人域名声明不收发邮件（Null MX）', reason: 'notaccept', rootCause: 'sender_domain_invalid' },
  '7.28': { en: 'Mail flood detected', zh: '检测到邮件洪泛', reason: 'speeding', rootCause: 'rate_limited' },
  '7.29': { en: 'ARC validation failure', zh: 'ARC 验证失败', reason: 'authfailure', rootCause: 'dkim_failure' },
  '7.30': { en: 'REQUIRETLS support required', zh: '需要支持 REQUIRETLS', reason: 'securityerror', rootCause: 'starttls_required' },
};

const CLASS_TEXT: Record<string, { en: string; zh: string }> = {
  '2': { en: 'Success', zh: '成功' },
  '4': { en: 'Persistent transient failure', zh: '临时失败' },
  '5': { en: 'Permanent failure', zh: '永久失败' },
};

interface ReplyEntry {
  en: string;
  zh: string;
  reason: Reason;
  rootCause: RootCause;
}

/** RFC 5321 §4.2.3 reply codes (plus 530/534/535/538 from RFC 4954 and 556 from RFC 7504). */
export const REPLY_CODES: Readonly<Record<string, ReplyEntry>> = {
  '421': { en: 'Service not available, closing transmission channel', zh: '服务不可用，关闭连接', reason: 'systemerror', rootCause: 'server_error' },
  '450': { en: 'Mailbox unavailable (busy or temporarily blocked)', zh: '邮箱暂时不可用', reason: 'systemerror', rootCause: 'server_error' },
  '451': { en: 'Local error in processing', zh: '对方服务器处理出错', reason: 'systemerror', rootCause: 'server_error' },
  '452': { en: 'Insufficient system storage', zh: '对方系统存储不足', reason: 'systemfull', rootCause: 'server_error' },
  '454': { en: 'TLS or authentication temporarily unavailable', zh: 'TLS 或认证暂时不可用', reason: 'securityerror', rootCause: 'tls_failure' },
  '455': { en: 'Server unable to accommodate parameters', zh: '服务器无法接受参数', reason: 'syntaxerror', rootCause: 'protocol_error' },
  '500': { en: 'Syntax error, command unrecognized', zh: '语法错误，命令无法识别', reason: 'syntaxerror', rootCause: 'protocol_error' },
  '501': { en: 'Syntax error in parameters or arguments', zh: '参数语法错误', reason: 'syntaxerror', rootCause: 'protocol_error' },
  '502': { en: 'Command not implemented', zh: '命令未实现', reason: 'syntaxerror', rootCause: 'protocol_error' },
  '503': { en: 'Bad sequence of commands', zh: '命令顺序错误', reason: 'syntaxerror', rootCause: 'protocol_error' },
  '504': { en: 'Command parameter not implemented', zh: '命令参数未实现', reason: 'syntaxerror', rootCause: 'protocol_error' },
  '521': { en: 'Host does not accept mail', zh: '主机不接收邮件', reason: 'notaccept', rootCause: 'recipient_domain_invalid' },
  '530': { en: 'Authentication required', zh: '需要先进行 SMTP 认证', reason: 'securityerror', rootCause: 'sender_not_authenticated' },
  '534': { en: 'Authentication mechanism is too weak', zh: '认证方式强度不足', reason: 'securityerror', rootCause: 'auth_method_disabled' },
  '535': { en: 'Authentication credentials invalid', zh: '认证失败（用户名或密码错误）', reason: 'securityerror', rootCause: 'auth_credentials_invalid' },
  '538': { en: 'Encryption required for requested authentication mechanism', zh: '所用认证方式要求加密连接', reason: 'securityerror', rootCause: 'starttls_required' },
  '550': { en: 'Mailbox unavailable (not found, no access, or refused by policy)', zh: '邮箱不可用（不存在、无权限或被策略拒绝）', reason: 'userunknown', rootCause: 'recipient_unknown' },
  '551': { en: 'User not local', zh: '用户不在本地', reason: 'hasmoved', rootCause: 'recipient_unknown' },
  '552': { en: 'Exceeded storage allocation', zh: '超出存储配额', reason: 'mailboxfull', rootCause: 'mailbox_full' },
  '553': { en: 'Mailbox name not allowed', zh: '邮箱名不允许（地址格式错误）', reason: 'userunknown', rootCause: 'recipient_unknown' },
  '554': { en: 'Transaction failed', zh: '事务失败', reason: 'systemerror', rootCause: 'server_error' },
  '555': { en: 'MAIL FROM/RCPT TO parameters not recognized', zh: 'MAIL FROM/RCPT TO 参数无法识别', reason: 'syntaxerror', rootCause: 'protocol_error' },
  '556': { en: 'Domain does not accept mail', zh: '该域名不接收邮件', reason: 'notaccept', rootCause: 'recipient_domain_invalid' },
};

interface VendorStatus {
  provider: string;
  en: string;
  zh: string;
}

/**
 * Codes a vendor uses with its own documented meaning (Microsoft 365 / Exchange Online NDR
 * reference). Unregistered codes always use it; registered ones (x.1.10, x.7.12) only when that
 * vendor answered.
 */
const VENDOR_STATUS: Readonly<Record<string, VendorStatus>> = {
  '7.139': { provider: 'microsoft', en: 'Authentication unsuccessful: SMTP AUTH is disabled or blocked (tenant, mailbox or security defaults)', zh: '认证失败：SMTP AUTH 已被禁用或被阻止（租户、邮箱或安全默认值）' },
  '7.57': { provider: 'microsoft', en: 'Client was not authenticated to send mail', zh: '客户端未通过身份验证，不能发信' },
  '7.60': { provider: 'microsoft', en: 'Client does not have permission to send as this sender', zh: '客户端无权以该发件人身份发信（Send As）' },
  '7.54': { provider: 'microsoft', en: 'Unable to relay recipient in non-accepted domain', zh: '不能向非接受域的收件人中继' },
  '7.64': { provider: 'microsoft', en: 'Relay access denied (tenant attribution failed)', zh: '中继被拒绝（无法归属到租户）' },
  '7.708': { provider: 'microsoft', en: 'Access denied, traffic not accepted from this IP (poor IP reputation)', zh: '拒绝访问：不接受来自该 IP 的流量（IP 信誉差）' },
  '7.705': { provider: 'microsoft', en: 'Access denied, tenant has exceeded threshold (suspicious outbound traffic)', zh: '拒绝访问：租户超出阈值（外发流量可疑）' },
  '7.750': { provider: 'microsoft', en: 'Client blocked from sending from unregistered domains', zh: '禁止从未在租户注册的域名发信' },
  '7.501': { provider: 'microsoft', en: 'Access denied, spam abuse detected (sending account blocked)', zh: '拒绝访问：检测到垃圾邮件滥用（发件账号被封）' },
  '7.511': { provider: 'microsoft', en: 'Access denied, banned sender', zh: '拒绝访问：发件人被封禁' },
  '7.509': { provider: 'microsoft', en: 'Access denied, sending domain does not pass DMARC verification', zh: '拒绝访问：发件域名未通过 DMARC 验证' },
  '7.515': { provider: 'microsoft', en: "Access denied, sending domain doesn't meet the required authentication level", zh: '拒绝访问：发件域名未达到要求的认证级别（SPF/DKIM/DMARC）' },
  '7.520': { provider: 'microsoft', en: 'Access denied, the organization does not allow external forwarding', zh: '拒绝访问：组织不允许自动转发到外部' },
  '7.321': { provider: 'microsoft', en: 'Destination mail server must support TLS to receive mail', zh: '目标邮件服务器必须支持 TLS 才能接收' },
  '7.350': { provider: 'microsoft', en: 'Remote server returned message detected as spam', zh: '对方服务器判定邮件为垃圾邮件' },
  '7.650': { provider: 'microsoft', en: 'Temporarily rate limited due to IP reputation', zh: '因 IP 信誉被临时限速' },
  '2.121': { provider: 'microsoft', en: "Recipient's per-hour message receive limit from this sender exceeded", zh: '收件人每小时接收该发件人邮件的数量超限' },
  '2.122': { provider: 'microsoft', en: "Recipient's per-hour message receive limit exceeded", zh: '收件人每小时接收邮件数量超限' },
  '1.10': { provider: 'microsoft', en: 'Recipient not found by SMTP address lookup', zh: '按 SMTP 地址查找不到收件人' },
  '1.351': { provider: 'microsoft', en: 'Remote server returned unknown recipient or mailbox unavailable', zh: '对方服务器返回：收件人不存在或邮箱不可用' },
  '4.316': { provider: 'microsoft', en: 'Message expired: connection refused by the destination', zh: '邮件过期：对方服务器拒绝连接' },
  '4.312': { provider: 'microsoft', en: 'Message expired: DNS query failed', zh: '邮件过期：DNS 查询失败' },
  '4.14': { provider: 'microsoft', en: 'Hop count exceeded, possible mail loop', zh: '跳数超限，可能存在邮件环路' },
  '7.12': { provider: 'microsoft', en: 'Sender was not authenticated by the organization (internal senders only)', zh: '发件人未被该组织认证（仅接受内部发件人）' },
};

/** subject.detail of an enhanced code, e.g. "7.26" for "5.7.26". */
export function statusKey(enhanced: string): string {
  return enhanced.slice(enhanced.indexOf('.') + 1);
}

export function statusEntry(enhanced: string | null): StatusEntry | undefined {
  return enhanced ? STATUS_DETAILS[statusKey(enhanced)] : undefined;
}

/**
 * Human meaning of the code pair in the given language: a vendor's documented meaning when the code
 * is its own (see VENDOR_STATUS), else the registered enhanced code, else the reply code.
 */
export function statusMeaning(replyCode: string | null, enhanced: string | null, lang: Lang = 'en', provider: string | null = null): string | null {
  if (enhanced) {
    const key = statusKey(enhanced);
    const vendor = VENDOR_STATUS[key];
    if (vendor && (!(key in STATUS_DETAILS) || vendor.provider === provider)) return lang === 'zh' ? vendor.zh : vendor.en;
    const entry = STATUS_DETAILS[key];
    const cls = CLASS_TEXT[enhanced[0] ?? ''];
    if (entry && cls) return lang === 'zh' ? `${cls.zh}：${entry.zh}` : `${cls.en}: ${entry.en}`;
  }
  if (replyCode) {
    const entry = REPLY_CODES[replyCode];
    if (entry) return lang === 'zh' ? entry.zh : entry.en;
  }
  return null;
}

// A reply code is three digits (2xx/4xx/5xx) not glued to other digits, dots, letters or colons
// of times/IPs; an enhanced code may follow it after ' ', '-' or ':'.
// An enhanced code is class.subject.detail with subject 0-7 and detail ≤ 3 digits, not part of an
// IP address or version number (no digit or dot right before or after it).
const CODE_RE =
  /(?<![\w.:/=+-])([245][0-5]\d)(?![\w.:]?\d|\])|(?<![\w./=+])([245])\.([0-7])\.(\d{1,3})(?!\.?\d)/g;

/**
 * Finds reply and enhanced codes. Preference: replies that carry an enhanced code; among them the
 * first permanent (5xx) one that is not a follow-up "503 need RCPT" after an earlier failure, else
 * the first transient one. The enhanced
 * code used is the one right after the chosen reply code, else the first enhanced code in the text.
 */
export function parseCodes(text: string): SmtpCodes {
  let firstPerm = -1;
  let firstTemp = -1;
  let firstAny = -1;
  let firstEnhanced: string | null = null;
  let firstEnhancedIdx = -1;
  const replies: { code: string; idx: number; enhanced: string | null; span: string }[] = [];
  CODE_RE.lastIndex = 0;
  let pending: { code: string; idx: number; end: number } | null = null;
  for (let m = CODE_RE.exec(text); m; m = CODE_RE.exec(text)) {
    if (m[1]) {
      pending = { code: m[1], idx: m.index, end: m.index + 3 };
      replies.push({ code: m[1], idx: m.index, enhanced: null, span: m[1] });
      continue;
    }
    const enhanced = `${m[2]}.${m[3]}.${m[4]}`;
    if (firstEnhanced === null) {
      firstEnhanced = enhanced;
      firstEnhancedIdx = m.index;
    }
    // attach to the reply code right before it ("550 5.7.1", "550-5.7.26", "550:5.1.1", "#550 5.2.2")
    if (pending && m.index - pending.end <= 2 && pending.code[0] === m[2]) {
      const last = replies[replies.length - 1];
      if (last && last.enhanced === null) {
        last.enhanced = enhanced;
        last.span = text.slice(last.idx, m.index + m[0].length);
      }
    }
    pending = null;
  }
  // a reply that carries an enhanced code is a real reply; bare numbers may be prose or ids
  const withEnhanced = replies.some((r) => r.enhanced !== null && r.code[0] !== '2');
  for (let i = 0; i < replies.length; i++) {
    const r = replies[i]!;
    if (r.code[0] === '2' || (withEnhanced && r.enhanced === null)) continue;
    if (firstAny < 0) firstAny = i;
    if (r.code[0] === '5') {
      // "503 need RCPT" / "554 no valid recipients" after another failure is a consequence
      if (firstPerm < 0 && !(i > 0 && (r.code === '503' || r.code === '554'))) firstPerm = i;
    } else if (firstTemp < 0) firstTemp = i;
  }
  const pick = firstPerm >= 0 ? firstPerm : firstTemp >= 0 ? firstTemp : firstAny;
  if (pick >= 0) {
    const r = replies[pick]!;
    return { replyCode: r.code, enhancedStatus: r.enhanced ?? firstEnhanced, index: r.idx, span: r.span };
  }
  if (firstEnhanced) return { replyCode: null, enhancedStatus: firstEnhanced, index: firstEnhancedIdx, span: firstEnhanced };
  return { replyCode: null, enhancedStatus: null, index: -1, span: '' };
}
