import { describe, expect, it } from 'vitest';
import { redact } from '../../src/core/redact.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('redact: secrets are removed', () => {
  const cases: [string, string, string][] = [
    // [input, secret that must disappear, kind]
    [`C: AUTH PLAIN ${b64('\0alice@example.com\0S3cret!pw')}`, b64('\0alice@example.com\0S3cret!pw'), 'auth_blob'],
    ['sasl_password=Tr0ub4dor&3', 'Tr0ub4dor&3', 'password'],
    ['smtp settings: user=bob password: hunter2 port 587', 'hunter2', 'password'],
    ['{"username":"bob","password":"p@ss w0rd"}', 'p@ss w0rd', 'password'],
    ['pass=abc12345 host=smtp.example.com', 'abc12345', 'password'],
    ['pwd: qwerty99', 'qwerty99', 'password'],
    ['my password is Summer2024!', 'Summer2024!', 'password'],
    ['我的邮箱密码：Abc123456，登录不上', 'Abc123456', 'password'],
    ['密码是 xyz789 但是发不出去', 'xyz789', 'password'],
    ['163 授权码为 ABCDEFGHIJKLMNOP', 'ABCDEFGHIJKLMNOP', 'password'],
    ['客户端专用密码：wxyzabcd1234', 'wxyzabcd1234', 'password'],
    ['Authorization: Bearer ya29.a0AfH6SMBx3-example_token_value', 'ya29.a0AfH6SMBx3-example_token_value', 'token'],
    [
      'token eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'token',
    ],
    ['LLM_API_KEY sk-proj-abcdefghijklmnopqrstuvwx1234', 'sk-proj-abcdefghijklmnopqrstuvwx1234', 'api_key'],
    ['aws AKIAIOSFODNN7EXAMPLE in config', 'AKIAIOSFODNN7EXAMPLE', 'api_key'],
    ['api_key = "9f8e7d6c5b4a"', '9f8e7d6c5b4a', 'api_key'],
    ['您的验证码是 482913，5分钟内有效', '482913', 'verification_code'],
    ['验证码：123456', '123456', 'verification_code'],
    ['Your verification code is 774411', '774411', 'verification_code'],
    ['OTP: 90210', '90210', 'verification_code'],
    ['805317 is your Microsoft account security code', '805317', 'verification_code'],
    ['动态密码：662211', '662211', 'verification_code'],
    ['relay via smtp://mailer:Pa55word@smtp.example.com:587', 'Pa55word', 'password'],
    ['Authorization: Basic ' + b64('user:pw'), b64('user:pw'), 'auth_blob'],
    ['curl -H "Basic ' + b64('admin:secret99') + '"', b64('admin:secret99'), 'auth_blob'],
  ];
  for (const [input, secret, kind] of cases) {
    it(`${kind}: ${input.slice(0, 40)}`, () => {
      const r = redact(input);
      expect(r.text).not.toContain(secret);
      expect(r.text).toContain(`[REDACTED:${kind}]`);
      expect(r.found).toContain(kind);
    });
  }

  it('AUTH LOGIN answers on following lines, keeping the server lines', () => {
    const user = b64('alice@example.com');
    const pass = b64('CorrectHorse9');
    const transcript = [
      'C: EHLO client.example.com',
      'S: 250-AUTH PLAIN LOGIN',
      'C: AUTH LOGIN',
      'S: 334 VXNlcm5hbWU6',
      `C: ${user}`,
      'S: 334 UGFzc3dvcmQ6',
      `C: ${pass}`,
      'S: 535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6',
    ].join('\n');
    const r = redact(transcript);
    expect(r.text).not.toContain(user);
    expect(r.text).not.toContain(pass);
    expect(r.text).toContain('334 VXNlcm5hbWU6');
    expect(r.text).toContain('535 5.7.8 Error: authentication failed');
    expect(r.text).toContain('S: 250-AUTH PLAIN LOGIN');
    expect(r.found).toEqual(['auth_blob']);
  });

  it('AUTH LOGIN collapsed onto one line (pasted into a chat)', () => {
    const pass = b64('pw-2024-secret');
    const r = redact(`AUTH LOGIN 334 VXNlcm5hbWU6 ${b64('bob@example.org')} 334 UGFzc3dvcmQ6 ${pass} 535 5.7.8 failed`);
    expect(r.text).not.toContain(pass);
    expect(r.text).toContain('535 5.7.8 failed');
  });

  it('PEM private keys, also when cut off', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\nabcdef\n-----END RSA PRIVATE KEY-----';
    const r = redact(`key:\n${pem}\nafter`);
    expect(r.text).toBe('key:\n[REDACTED:private_key]\nafter');
    expect(redact('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg').text).toBe('[REDACTED:private_key]');
  });
});

describe('redact: ordinary mail content is kept', () => {
  const keep = [
    '550 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org',
    '535 5.7.8 Username and Password not accepted. Learn more at https://support.google.com/mail/?p=BadCredentials',
    'Nov 30 10:01:02 mx1 postfix/smtp[1234]: 4F2A31C0D2: to=<bob@example.com>, relay=mx.example.net[198.51.100.7]:25, delay=1.2, status=bounced (host said: 550 5.1.1 user unknown)',
    'Message-ID: <CAF=abc123XYZ+456@mail.gmail.com>',
    'Authentication-Results: mx.google.com; spf=pass (google.com: domain of a@example.com designates 192.0.2.1 as permitted sender) dkim=pass header.i=@example.com; dmarc=pass',
    '530 5.7.0 Must issue a STARTTLS command first',
    '5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.',
    'Date: Mon, 30 Nov 2026 10:00:00 +0800',
    'smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd',
    '250-AUTH PLAIN LOGIN CRAM-MD5\n250 8BITMIME',
    '我的邮件发送失败，错误代码550，提示密码错误',
    '密码是错的吗？客户端一直提示验证失败',
    '退信：550 Mailbox not found or access denied, 收件人 user@qq.com',
    'queue id 3xYz1AbCdEfGh, 2026-11-30T10:00:00Z, 421 4.7.0 Try again later',
    'password is incorrect',
    'Basic authentication is disabled for this tenant',
    'Bearer tokens are not supported',
    'X-Postfix-Queue-ID: 8C1F2E0A5B',
    'Diagnostic-Code: smtp; 552 5.2.2 Mailbox full (quota exceeded)',
  ];
  for (const line of keep) {
    it(line.slice(0, 50), () => {
      const r = redact(line);
      expect(r.text).toBe(line);
      expect(r.found).toEqual([]);
    });
  }
});

describe('redact: linear time on adversarial input', () => {
  const MB = 1 << 20;
  const inputs: Record<string, string> = {
    letters: 'a'.repeat(MB),
    base64ish: 'QUJD'.repeat(MB / 4),
    jwtPrefix: 'eyJ'.repeat(MB / 3),
    jwtRun: 'eyJ' + 'a'.repeat(MB) + '.eyJ' + 'b'.repeat(100),
    passwordKeys: 'password'.repeat(MB / 8),
    passEquals: 'pass='.repeat(MB / 5),
    authLogin: 'AUTH LOGIN '.repeat(MB / 11),
    urls: '://a:'.repeat(MB / 5),
    digits: '验证码'.repeat(1000) + '1'.repeat(MB),
    bearer: 'Bearer '.repeat(MB / 7),
    zhPassword: '密码：'.repeat(MB / 3),
    skKeys: 'sk-'.repeat(MB / 3),
    beginKeys: '-----BEGIN PRIVATE KEY-----'.repeat(MB / 27),
  };
  for (const [name, input] of Object.entries(inputs)) {
    it(name, () => {
      const t0 = performance.now();
      redact(input);
      // Quadratic behaviour on 1 MB would take minutes; linear takes milliseconds.
      expect(performance.now() - t0).toBeLessThan(3000);
    });
  }
});

describe('redact: AUTH PLAIN answered after an empty 334 challenge', () => {
  it('redacts the blob on the line after "334"', () => {
    const blob = b64('\0carol\0Winter2025');
    const r = redact(`C: AUTH PLAIN\nS: 334\nC: ${blob}\nS: 235 2.7.0 Authentication successful`);
    expect(r.text).not.toContain(blob);
    expect(r.text).toContain('235 2.7.0 Authentication successful');
  });
});

describe('redact: authentication results in MTA logs are not passwords', () => {
  for (const line of [
    '1999-03-02 09:44:33 10HmaY-000000005vi-0000 data_acl: dkim status pass:pass',
    '1999-03-02 09:44:33 10HmbA-000000005vi-0000 overall $dkim_verify_status: pass:none',
    'Received-SPF: pass (example.com: domain of a@example.com designates 192.0.2.1 as permitted sender)',
    'ARC-Authentication-Results: i=2; mx.example; arc=pass (i=1) header.s=sel arc.oldest-pass=1 smtp.remote-ip=192.0.2.1',
    'Authentication-Results: mx.example; dkim-adsp=pass: none; sender-id=fail (NotPermitted)',
  ]) {
    it(line.slice(0, 60), () => expect(redact(line).text).toBe(line));
  }
  it('but a password echoed in a Dovecot log is removed', () => {
    const r = redact('dovecot: auth: sql(bob@example.com,192.0.2.1): unknown user (given password: Secr3t!)');
    expect(r.text).not.toContain('Secr3t!');
  });
});
