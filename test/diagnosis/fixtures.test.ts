// The project's own fixture set (texts written for this project or quoted from provider
// documentation): overall agreement and exact answers on the key cases.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT_CAUSES, type RootCause } from '../../src/core/taxonomy.js';
import { classifyText, detectProvider } from '../../src/diagnosis/index.js';

interface Fixture {
  lang: 'en' | 'zh';
  rootCause: RootCause;
  text: string;
}

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixtures: Fixture[] = readdirSync(dir)
  .filter((f) => f.endsWith('.jsonl'))
  .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Fixture));

describe('fixture set', () => {
  it('has at least 200 cases, 50 in Chinese, and covers every root cause', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(200);
    expect(fixtures.filter((f) => f.lang === 'zh').length).toBeGreaterThanOrEqual(50);
    const covered = new Set(fixtures.map((f) => f.rootCause));
    for (const rc of ROOT_CAUSES) expect(covered.has(rc), rc).toBe(true);
  });

  it('agrees with ≥ 95% of the expected root causes', () => {
    const misses = fixtures.filter((f) => classifyText(f.text).rootCause !== f.rootCause);
    const agreement = 1 - misses.length / fixtures.length;
    expect(agreement, misses.map((m) => `${m.rootCause}: ${m.text}`).join('\n')).toBeGreaterThanOrEqual(0.95);
  });
});

describe('key cases', () => {
  const cases: [string, RootCause, string][] = [
    ['550 5.7.1 Client was not authenticated', 'sender_not_authenticated', 'securityerror'],
    ['535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant', 'auth_method_disabled', 'securityerror'],
    ['550-5.7.26 Unauthenticated email from example.com is not accepted due to domain\'s DMARC policy. - gsmtp', 'dmarc_failure', 'authfailure'],
    ['550-5.7.26 This mail has been blocked because the sender is unauthenticated.', 'dmarc_failure', 'authfailure'],
    ['550-5.7.25 [192.0.2.7] The IP address sending this message does not have a PTR record setup', 'ptr_missing', 'requireptr'],
    ['550 5.7.25', 'ptr_missing', 'requireptr'],
    ['我的邮件发送失败，错误代码550，提示“5.7.1 Client was not authenticated”', 'sender_not_authenticated', 'securityerror'],
    ['550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.', 'bad_reputation', 'blocked'],
    ['550 5.2.121 Recipient\'s per hour message receive limit from specific sender exceeded.', 'rate_limited', 'speeding'],
    ['550 5.7.57 Client was not authenticated to send anonymous mail during MAIL FROM', 'sender_not_authenticated', 'securityerror'],
    ['550 5.7.606 Access denied, banned sending IP [192.0.2.7].', 'ip_blocklisted', 'blocked'],
    ['554 DT:SPM 163 smtp9', 'spam_content', 'spamdetected'],
    ['451 MI:SFQ 发信人在15分钟内的发信数量超过限制', 'rate_limited', 'speeding'],
    ['450 RP:TRC', 'rate_limited', 'speeding'],
    ['421 4.7.0 [TSS04] Messages from 192.0.2.7 temporarily deferred due to unexpected volume or user complaints', 'bad_reputation', 'badreputation'],
    ['421 4.7.0 [TSS09] All messages from 192.0.2.7 will be permanently deferred; Retrying will NOT succeed.', 'bad_reputation', 'blocked'],
    ['５５０ ５.１.１ 用户不存在', 'recipient_unknown', 'userunknown'],
  ];
  it.each(cases)('%s → %s', (text, rootCause, reason) => {
    const c = classifyText(text);
    expect(c.rootCause).toBe(rootCause);
    expect(c.reason).toBe(reason);
    expect(c.evidence.length).toBeGreaterThan(0);
  });

  it('reports the span that decided and the SMTP codes', () => {
    const c = classifyText('host gmail-smtp-in.l.google.com said: 550-5.7.26 Unauthenticated email from example.com is not accepted due to domain\'s DMARC policy');
    expect(c.provider).toBe('google');
    expect(c.smtp).toMatchObject({ replyCode: '550', enhancedStatus: '5.7.26' });
    expect(c.evidence[0]!.text).toBe("is not accepted due to domain's DMARC policy");
    expect(c.ruleId).toBe('google.dmarc');
  });

  it('calls a "user unknown" answer to DATA "filtered" (the content was refused, not the address)', () => {
    expect(classifyText('550 <a@example.org>... User unknown (in reply to end of DATA command)').reason).toBe('filtered');
    expect(classifyText('550 <a@example.org>... User unknown (in reply to RCPT TO command)').reason).toBe('userunknown');
    // the bounce reader may know the command from a session transcript instead
    expect(classifyText('550 <a@example.org>... User unknown', { command: 'DATA' }).reason).toBe('filtered');
    expect(classifyText('550 <a@example.org>... User unknown', { command: 'RCPT' }).reason).toBe('userunknown');
    expect(classifyText('550 <a@example.org>... User unknown (in reply to end of DATA command)').rootCause).toBe('recipient_unknown');
  });

  it('lets an address status (x.1.1) keep "userunknown" and a mailbox Status field (5.2.x) make it "filtered"', () => {
    expect(classifyText('550 5.1.1 <a@example.org>... User unknown (in reply to end of DATA command)').reason).toBe('userunknown');
    expect(classifyText('550 <a@example.org>... User unknown', { status: '5.1.1', command: 'DATA' }).reason).toBe('userunknown');
    expect(classifyText('550 <a@example.org>... User unknown', { status: '5.2.1' }).reason).toBe('filtered');
    expect(classifyText('550 <a@example.org>... User unknown', { status: '5.2.1', command: 'RCPT' }).reason).toBe('userunknown');
    expect(classifyText('550 <a@example.org>... User unknown', { status: '5.0.0' }).reason).toBe('userunknown');
  });

  it('reads a "user unknown" that names no address ("550 : User unknown") as an answer to the message, not to RCPT', () => {
    expect(classifyText('550 : User unknown').reason).toBe('filtered');
    expect(classifyText('550 <a@example.jp>: User unknown').reason).toBe('userunknown');
  });

  it('calls an undecided bounce diagnostic "onhold", a local program\'s bare failure "mailererror", and chat text "undefined"', () => {
    expect(classifyText('it does not work').reason).toBe('undefined');
    expect(classifyText('Your message could not be delivered', { status: null }).reason).toBe('onhold');
    expect(classifyText('4.3.0 temporary failure', { status: '4.3.0', diagnosticType: 'x-unix' }).reason).toBe('mailererror');
    expect(classifyText('450 4.0.0 Temporary failure').reason).toBe('onhold');
  });

  it('reads the documented cable-ISP codes (Cox, Spectrum, Comcast) rather than the generic sentence', () => {
    expect(classifyText('550 5.1.0 <a@example.com> sender rejected. Refer to Error Codes section at https://www.cox.com/ AUP#CXBL').rootCause).toBe('bad_reputation');
    expect(classifyText('550 5.1.0 <a@example.com> sender rejected. Please see https://www.spectrum.net/ AUP#In-1350').reason).toBe('speeding');
    expect(classifyText('554 resimta-po-01v.sys.comcast.net comcast 192.0.2.1 Comcast block for spam. Please see http://postmaster.comcast.net/smtp-error-codes.php#BL000010').rootCause).toBe('ip_blocklisted');
  });

  it('reads the documented Orange / La Poste error code at the end of the reply', () => {
    const c = classifyText('550 5.2.0 Mail rejete. Mail rejected. OFR_506 [506]');
    expect([c.reason, c.rootCause]).toEqual(['spamdetected', 'spam_content']);
    expect(classifyText('421 mwinf5c79 ME Trop de connexions, veuillez verifier votre configuration. Too many connections, slow down. OFR005_104 [104]').reason).toBe('toomanyconn');
    expect(classifyText('550 5.5.0 Le compte du destinataire est bloque. The recipient account is blocked. LPN007_426').reason).toBe('suspend');
  });

  it('reads T-Online\'s connection refusal template as a block of the sending IP for its reputation', () => {
    const c = classifyText('554 IP=203.0.113.9 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.) (BL)');
    expect([c.reason, c.rootCause, c.ruleId]).toEqual(['blocked', 'bad_reputation', 'telekom.ip_refused']);
    // the template still decides when a relay rewrote or wrapped the contact address
    const wrapped = classifyText('450 4.7.1 [EAB] 554 IP=203.0.113.9 - A problem occurred. (Ask your\n postmaster for help or to contact postmaster@example.net to clarify.)');
    expect([wrapped.reason, wrapped.rootCause]).toEqual(['blocked', 'bad_reputation']);
  });

  it('says unknown with no confidence when nothing matches', () => {
    for (const t of ['', 'hello there', '\u0000\u0001\u0002']) {
      const c = classifyText(t);
      expect(c.rootCause).toBe('unknown');
      expect(c.confidence).toBe(0);
    }
  });

  it('stays linear on hostile input (no catastrophic backtracking)', () => {
    const hostile = ['550-'.repeat(50_000), '5.'.repeat(100_000), 'a'.repeat(300_000) + '!', '\\n'.repeat(100_000), ' \t'.repeat(200_000)];
    for (const t of hostile) expect(classifyText(t).rootCause).toBeDefined();
  });

  it('names the mailbox provider from host names', () => {
    expect(detectProvider('gmail-smtp-in.l.google.com')).toBe('google');
    expect(detectProvider('example-com.mail.protection.outlook.com')).toBe('microsoft');
    expect(detectProvider('mx3.qq.com')).toBe('tencent');
    expect(detectProvider('mx.example.org')).toBeNull();
    expect(detectProvider(null)).toBeNull();
  });
});
