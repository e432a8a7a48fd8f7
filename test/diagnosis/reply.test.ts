import { describe, expect, it } from 'vitest';
import { parseCodes, REPLY_CODES, STATUS_DETAILS, statusMeaning } from '../../src/diagnosis/reply.js';

describe('parseCodes', () => {
  it('reads a plain reply with an enhanced code', () => {
    expect(parseCodes('550 5.7.1 Client was not authenticated')).toMatchObject({ replyCode: '550', enhancedStatus: '5.7.1', span: '550 5.7.1' });
  });

  it('reads multi-line replies (550-5.7.26 ...)', () => {
    const text = '550-5.7.26 This mail has been blocked because the sender is\n550-5.7.26 unauthenticated. Gmail requires all senders to\n550 5.7.26 authenticate with either SPF or DKIM. - gsmtp';
    expect(parseCodes(text)).toMatchObject({ replyCode: '550', enhancedStatus: '5.7.26', span: '550-5.7.26' });
  });

  it('finds codes buried in prose and in Chinese sentences', () => {
    expect(parseCodes('host mx.example.org[192.0.2.1] said: 552 5.2.2 <a@example.org>... Mailbox Full (in reply to RCPT TO command)'))
      .toMatchObject({ replyCode: '552', enhancedStatus: '5.2.2' });
    expect(parseCodes('我的邮件发送失败，错误代码550，提示“5.7.1 Client was not authenticated”'))
      .toMatchObject({ replyCode: '550', enhancedStatus: '5.7.1' });
    expect(parseCodes('Sorry, no mailbox here by that name. (#5.1.1)')).toMatchObject({ replyCode: null, enhancedStatus: '5.1.1' });
  });

  it('does not read IP addresses, versions, ports, times or bracketed ids as codes', () => {
    expect(parseCodes('connect to mx.example.org[192.0.2.25]:25: Connection timed out at 2024-05-01T10:25:45Z')).toEqual({ replyCode: null, enhancedStatus: null, index: -1, span: '' });
    expect(parseCodes('Exim 4.96 via 10.5.1.1, ref 4.16.55.1')).toMatchObject({ replyCode: null, enhancedStatus: null });
    expect(parseCodes('421 4.2.0 Service refused, please try later. OFR005_505 [505]')).toMatchObject({ replyCode: '421', enhancedStatus: '4.2.0' });
  });

  it('prefers the first permanent failure over follow-up command errors', () => {
    expect(parseCodes('550 5.2.1 The email account that you tried to reach is disabled. 503 5.5.1 RCPT first.')).toMatchObject({ replyCode: '550', enhancedStatus: '5.2.1' });
    expect(parseCodes('450 busy - please try later 551 not our user 503 need RCPT command')).toMatchObject({ replyCode: '551' });
  });

  it('gives a full-width Chinese reply the same codes once folded', () => {
    expect(parseCodes('５５０ ５.１.１ 用户不存在'.normalize('NFKC'))).toMatchObject({ replyCode: '550', enhancedStatus: '5.1.1' });
  });
});

describe('status meanings', () => {
  it('covers every registered subject with an English and a Chinese text', () => {
    for (const subject of ['0', '1', '2', '3', '4', '5', '6', '7']) {
      expect(STATUS_DETAILS[`${subject}.0`], `X.${subject}.0`).toBeDefined();
    }
    for (const [key, entry] of Object.entries(STATUS_DETAILS)) {
      expect(entry.en.length, key).toBeGreaterThan(3);
      expect(entry.zh, key).toMatch(/[\u4e00-\u9fff]/);
    }
    for (const [code, entry] of Object.entries(REPLY_CODES)) expect(entry.zh, code).toMatch(/[\u4e00-\u9fff]/);
  });

  it('describes enhanced codes first, reply codes otherwise, in either language', () => {
    expect(statusMeaning('550', '5.7.26', 'en')).toBe('Permanent failure: Multiple authentication checks failed');
    expect(statusMeaning('550', '5.7.26', 'zh')).toContain('永久失败');
    expect(statusMeaning('421', null, 'en')).toBe('Service not available, closing transmission channel');
    expect(statusMeaning(null, null)).toBeNull();
  });

  it('uses the vendor meaning for vendor codes, and for registered codes only when that vendor answered', () => {
    expect(statusMeaning('535', '5.7.139', 'en')).toContain('SMTP AUTH is disabled');
    expect(statusMeaning('535', '5.7.139', 'zh')).toContain('SMTP AUTH');
    expect(statusMeaning('550', '5.1.10', 'en', 'microsoft')).toBe('Recipient not found by SMTP address lookup');
    expect(statusMeaning('556', '5.1.10', 'en')).toBe('Permanent failure: Recipient address has null MX');
  });
});
