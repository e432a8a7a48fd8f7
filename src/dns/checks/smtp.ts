// SMTP probe of each MX: TCP connect, banner, EHLO, STARTTLS, certificate chain, host name
// match and days to expiry. Only addresses the guard allows are contacted; nothing is sent
// beyond EHLO/STARTTLS/QUIT.
import { connect as netConnect, type Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import { type CheckContext, type CheckOutcome, type Issue, outcome, say, trustContext } from './common.js';
import type { MxHost } from './mx.js';

export interface SmtpReply {
  code: number;
  lines: string[];
}

export interface TlsInfo {
  protocol: string | null;
  cipher: string | null;
  authorized: boolean;
  authorizationError: string | null;
  hostnameMatches: boolean;
  subject: string;
  altNames: string;
  chain: string[];
  validTo: string;
  expired: boolean;
  /** whole days left (negative once expired) */
  daysToExpiry: number;
}

export interface ProbeResult {
  host: string;
  address: string;
  port: number;
  stage: 'connect' | 'banner' | 'ehlo' | 'starttls' | 'tls' | 'done';
  error: string | null;
  errorCode: string | null;
  banner: string | null;
  extensions: string[];
  starttls: boolean;
  tls: TlsInfo | null;
}

const MAX_REPLY_BYTES = 64 * 1024;

/** Reads SMTP replies (multi-line aware) from a socket; bounded so a hostile server cannot fill memory. */
class ReplyReader {
  private buffer = '';
  private lines: string[] = [];
  private waiting: { resolve: (r: SmtpReply) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(private socket: Socket | TLSSocket) {
    socket.setEncoding('latin1');
    socket.on('data', this.onData);
    socket.on('error', this.fail);
    socket.on('close', this.onClose);
  }

  detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('error', this.fail);
    this.socket.off('close', this.onClose);
  }

  private onClose = () => this.fail(new Error('connection closed by server'));

  private onData = (chunk: string) => {
    this.buffer += chunk;
    if (this.buffer.length > MAX_REPLY_BYTES) return this.fail(new Error('reply too long'));
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      this.lines.push(line);
      if (/^\d{3}(?: |$)/.test(line)) this.complete();
    }
  };

  private fail = (err: Error) => {
    this.failure ??= err;
    if (this.waiting) {
      this.waiting.reject(err);
      this.waiting = null;
    }
  };

  private complete() {
    const lines = this.lines;
    this.lines = [];
    const reply = { code: Number(lines[lines.length - 1]!.slice(0, 3)), lines: lines.map((l) => l.slice(4)) };
    if (this.waiting) {
      this.waiting.resolve(reply);
      this.waiting = null;
    }
  }

  next(): Promise<SmtpReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }
}

function commonName(cert: DetailedPeerCertificate): string {
  const cn = cert.subject?.CN;
  return Array.isArray(cn) ? cn.join(', ') : (cn ?? '');
}

function certChain(cert: DetailedPeerCertificate): string[] {
  const chain: string[] = [];
  let c: DetailedPeerCertificate | undefined = cert;
  while (c && chain.length < 10) {
    chain.push(commonName(c));
    if (!c.issuerCertificate || c.issuerCertificate === c || c.issuerCertificate.fingerprint256 === c.fingerprint256) break;
    c = c.issuerCertificate;
  }
  return chain;
}

export async function probeSmtp(
  host: string,
  address: string,
  opts: { port: number; timeoutMs: number; heloName: string; extraCa: string[] },
): Promise<ProbeResult> {
  const result: ProbeResult = {
    host, address, port: opts.port, stage: 'connect', error: null, errorCode: null,
    banner: null, extensions: [], starttls: false, tls: null,
  };
  // Only the outermost socket is destroyed: once TLS wraps the TCP socket, destroying the inner
  // one as well crashes Node 20 (segfault) — the TLS socket tears down its transport itself.
  const sockets: Array<Socket | TLSSocket> = [];
  const outermost = () => sockets[sockets.length - 1];
  const timer = setTimeout(() => {
    outermost()?.destroy(Object.assign(new Error(`no answer within ${opts.timeoutMs} ms`), { code: 'ETIMEDOUT' }));
  }, opts.timeoutMs);
  try {
    const socket = netConnect({ host: address, port: opts.port });
    sockets.push(socket);
    const reader = new ReplyReader(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    result.stage = 'banner';
    const banner = await reader.next();
    result.banner = `${banner.code} ${banner.lines.join(' ')}`;
    if (banner.code !== 220) throw new Error(`server greeted with ${banner.code}`);
    result.stage = 'ehlo';
    socket.write(`EHLO ${opts.heloName}\r\n`);
    const ehlo = await reader.next();
    if (ehlo.code !== 250) throw new Error(`EHLO answered ${ehlo.code} ${ehlo.lines.join(' ')}`);
    result.extensions = ehlo.lines.slice(1).map((l) => l.split(' ')[0]!.toUpperCase());
    result.starttls = result.extensions.includes('STARTTLS');
    if (!result.starttls) {
      socket.write('QUIT\r\n');
      result.stage = 'done';
      return result;
    }
    result.stage = 'starttls';
    socket.write('STARTTLS\r\n');
    const go = await reader.next();
    if (go.code !== 220) throw new Error(`STARTTLS answered ${go.code} ${go.lines.join(' ')}`);
    reader.detach();
    result.stage = 'tls';
    const secure = tlsConnect({
      socket,
      servername: host,
      // verification is reported, not enforced, so that a bad certificate can be described
      rejectUnauthorized: false,
      secureContext: trustContext(opts.extraCa),
    });
    sockets.push(secure);
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    const cert = secure.getPeerCertificate(true);
    const validTo = new Date(cert.valid_to);
    result.tls = {
      protocol: secure.getProtocol(),
      cipher: secure.getCipher()?.name ?? null,
      authorized: secure.authorized,
      authorizationError: secure.authorizationError ? String(secure.authorizationError) : null,
      hostnameMatches: checkServerIdentity(host, cert) === undefined,
      subject: commonName(cert),
      altNames: cert.subjectaltname ?? '',
      chain: certChain(cert),
      validTo: validTo.toISOString(),
      expired: validTo.getTime() < Date.now(),
      daysToExpiry: Math.trunc((validTo.getTime() - Date.now()) / 86_400_000),
    };
    secure.write('QUIT\r\n');
    result.stage = 'done';
    return result;
  } catch (err) {
    result.error = (err as Error).message;
    result.errorCode = (err as NodeJS.ErrnoException).code ?? null;
    return result;
  } finally {
    clearTimeout(timer);
    outermost()?.destroy();
  }
}

const MAX_PROBED_HOSTS = 5;

export async function checkSmtp(ctx: CheckContext, hosts: MxHost[]): Promise<CheckOutcome> {
  const t = say(ctx.lang);
  const issues: Issue[] = [];
  const targets = hosts.filter((h) => h.probeable.length > 0).slice(0, MAX_PROBED_HOSTS);
  const probes = await Promise.all(
    targets.map((h) =>
      probeSmtp(h.exchange, h.probeable.find((a) => !a.includes(':')) ?? h.probeable[0]!, {
        port: ctx.smtpPort, timeoutMs: ctx.probeTimeoutMs, heloName: ctx.heloName, extraCa: ctx.extraCa,
      }),
    ),
  );
  const records: string[] = [];
  for (const p of probes) {
    const where = `${p.host} [${p.address}]:${p.port}`;
    records.push(`${where} ${p.banner ?? '(no banner)'}${p.extensions.length ? ` EHLO: ${p.extensions.join(' ')}` : ''}`);
    if (p.error) {
      if (p.stage === 'connect' && p.errorCode === 'ECONNREFUSED') {
        issues.push({ level: 'fail', rootCause: 'mx_misconfigured', evidence: `${where}: ECONNREFUSED`, text: t(`${where} refuses connections: no mail server is listening there.`, `${where} 拒绝连接：该地址上没有邮件服务在监听。`) });
      } else if (p.stage === 'connect' || p.errorCode === 'ETIMEDOUT') {
        issues.push({ level: 'error', text: t(`Could not reach ${where} (${p.errorCode ?? p.error}); port 25 may be blocked between this checker and the server, so this is not proof the server is down.`, `无法连接 ${where}（${p.errorCode ?? p.error}）；本检查程序与服务器之间的 25 端口可能被封锁，因此不能据此判断服务器故障。`) });
      } else if (p.stage === 'tls' || p.stage === 'starttls') {
        issues.push({ level: 'fail', rootCause: 'tls_failure', evidence: `${where}: ${p.error}`, text: t(`${where} offers STARTTLS but it fails: ${p.error}.`, `${where} 声明支持 STARTTLS，但无法建立加密：${p.error}。`) });
      } else {
        // a refused greeting or EHLO may be aimed at this checker (its IP or name), not at real senders
        issues.push({ level: 'error', text: t(`${where} refused this checker before STARTTLS (${p.banner ?? ''} ${p.error}); other senders may be treated differently.`, `${where} 在 STARTTLS 之前拒绝了本检查程序（${p.banner ?? ''} ${p.error}）；对其他发件方的处理可能不同。`) });
      }
      continue;
    }
    if (!p.starttls) {
      issues.push({ level: 'fail', rootCause: 'tls_failure', evidence: `${where} EHLO: ${p.extensions.join(' ')}`, text: t(`${where} does not offer STARTTLS: mail to it travels unencrypted, and senders that require TLS cannot deliver.`, `${where} 不支持 STARTTLS：发往它的邮件以明文传输，要求加密的发件方将无法投递。`) });
      continue;
    }
    const tls = p.tls!;
    records.push(`${where} TLS ${tls.protocol} cert CN=${tls.subject} (${tls.altNames}) expires ${tls.validTo}`);
    const certEv = `${where} certificate CN=${tls.subject}; ${tls.altNames}; notAfter ${tls.validTo}; ${tls.authorizationError ?? 'verified'}`;
    if (tls.expired) {
      issues.push({ level: 'fail', rootCause: 'tls_failure', evidence: certEv, text: t(`The certificate of ${p.host} expired ${-tls.daysToExpiry} day(s) ago (${tls.validTo}).`, `${p.host} 的证书已于 ${-tls.daysToExpiry} 天前过期（${tls.validTo}）。`) });
    } else if (tls.daysToExpiry < 14) {
      issues.push({ level: 'warn', rootCause: 'tls_failure', evidence: certEv, text: t(`The certificate of ${p.host} expires in ${tls.daysToExpiry} day(s).`, `${p.host} 的证书将在 ${tls.daysToExpiry} 天后过期。`) });
    }
    if (!tls.hostnameMatches) {
      issues.push({ level: 'warn', rootCause: 'tls_failure', evidence: certEv, text: t(`The certificate of ${p.host} is for ${tls.altNames || tls.subject}, not for ${p.host}; senders that verify names (MTA-STS, DANE) will refuse it.`, `${p.host} 的证书签发给 ${tls.altNames || tls.subject}，而不是 ${p.host}；校验主机名的发件方（MTA-STS、DANE）会拒绝投递。`) });
    }
    if (!tls.authorized && !tls.expired && tls.authorizationError && tls.authorizationError !== 'ERR_TLS_CERT_ALTNAME_INVALID') {
      issues.push({ level: 'warn', rootCause: 'tls_failure', evidence: certEv, text: t(`The certificate chain of ${p.host} is not trusted (${tls.authorizationError}).`, `${p.host} 的证书链不受信任（${tls.authorizationError}）。`) });
    }
  }
  return outcome('smtp', ctx.lang, {
    okText: t(`${probes.map((p) => p.host).join(', ')} answer on port ${ctx.smtpPort}, offer STARTTLS and present valid certificates.`, `${probes.map((p) => p.host).join('、')} 在 ${ctx.smtpPort} 端口正常应答，支持 STARTTLS，且证书有效。`),
    records,
    issues,
    details: { probes },
    steps: [
      ...(issues.some((i) => i.rootCause === 'mx_misconfigured' || i.level === 'error')
        ? [t('Make sure a mail server listens on TCP port 25 on every MX host and that the port is open to the internet.', '确认每台 MX 主机的 TCP 25 端口上有邮件服务在监听，且该端口对互联网开放。')]
        : []),
      ...(issues.some((i) => i.rootCause === 'tls_failure')
        ? [
            t('Enable STARTTLS on the mail server with a certificate from a public CA whose name matches the MX host name.', '在邮件服务器上启用 STARTTLS，并使用公共 CA 签发、名称与 MX 主机名一致的证书。'),
            t('Renew certificates automatically (e.g. ACME) and monitor their expiry date.', '配置证书自动续期（如 ACME），并监控证书到期时间。'),
          ]
        : []),
    ],
  });
}
