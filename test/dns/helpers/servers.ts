// Certificates made at test time with openssl, and real SMTP (smtp-server) and HTTPS servers
// on 127.0.0.1 ephemeral ports for the probes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface TestCert {
  key: string;
  cert: string;
}

export interface TestPki {
  ca: string;
  /** signed by the CA; `days` < 0 gives an already expired certificate */
  issue(names: string[], days: number): TestCert;
  cleanup(): void;
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'mailmedic-pki-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '365', '-subj', '/CN=MailMedic Test CA');
  let n = 0;
  return {
    ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    issue(names, days) {
      n += 1;
      const base = `leaf${n}`;
      ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${names[0]}`);
      writeFileSync(join(dir, `${base}.ext`), `subjectAltName=${names.map((x) => `DNS:${x}`).join(',')}\n`);
      ssl('x509', '-req', '-in', `${base}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', String(days), '-extfile', `${base}.ext`, '-out', `${base}.pem`);
      return { key: readFileSync(join(dir, `${base}.key`), 'utf8'), cert: readFileSync(join(dir, `${base}.pem`), 'utf8') };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

/** An SMTP server that speaks up to STARTTLS; `tls: null` hides STARTTLS. */
export async function startSmtpServer(tls: TestCert | null): Promise<RunningServer> {
  const server = new SMTPServer({
    secure: false,
    ...(tls ? { key: tls.key, cert: tls.cert } : { hideSTARTTLS: true }),
    authOptional: true,
    disabledCommands: ['AUTH'],
    logger: false,
    disableReverseLookup: true, // it would ask the system resolver, i.e. leave 127.0.0.1
    banner: 'MailMedic test MX',
  });
  server.on('error', () => undefined); // clients hanging up mid-handshake are expected
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export async function startHttpsServer(tls: TestCert, routes: Record<string, { status?: number; type?: string; body: string }>): Promise<RunningServer> {
  const server = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const route = routes[`${req.headers.host}${req.url}`];
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(route.status ?? 200, { 'content-type': route.type ?? 'text/plain' }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
