// Pure parts of the support flow: service hours, intents, slot filling, policy, questions.
import { describe, expect, test } from 'vitest';
import { formatLocal, serviceStatus, type ServiceHours } from '../../src/support/hours.js';
import { intentsOf } from '../../src/support/intents.js';
import { QUESTIONS } from '../../src/support/messages.js';
import { decide, emptyMemory, route, similarity, type DiagnosisDigest } from '../../src/support/policy.js';
import { SupportSettingsSchema } from '../../src/support/settings.js';
import { emptyTemplate, extractSlots, mergeTemplate } from '../../src/support/slots.js';

const hours = (over: Partial<ServiceHours> = {}): ServiceHours => ({ ...SupportSettingsSchema.parse({}), ...over });

describe('service hours', () => {
  test('open inside 9–18 on a workday in the tenant time zone, closed outside', () => {
    expect(serviceStatus(hours(), new Date('2026-12-02T01:00:00Z')).open).toBe(true); // 09:00 Shanghai
    expect(serviceStatus(hours(), new Date('2026-12-02T00:59:00Z'))).toEqual({ open: false, nextOpen: new Date('2026-12-02T01:00:00Z') });
    expect(serviceStatus(hours(), new Date('2026-12-02T10:00:00Z')).nextOpen).toEqual(new Date('2026-12-03T01:00:00Z')); // 18:00 sharp is closed
  });
  test('weekends, holidays and extra working days', () => {
    const fri18 = new Date('2026-12-04T10:30:00Z');
    expect(serviceStatus(hours(), fri18).nextOpen).toEqual(new Date('2026-12-07T01:00:00Z'));
    expect(serviceStatus(hours({ holidays: ['2026-12-07'] }), fri18).nextOpen).toEqual(new Date('2026-12-08T01:00:00Z'));
    expect(serviceStatus(hours({ extraWorkdays: ['2026-12-05'] }), fri18).nextOpen).toEqual(new Date('2026-12-05T01:00:00Z'));
  });
  test('daylight saving time: 09:00 in New York is 14:00Z in winter, 13:00Z in summer', () => {
    const ny = hours({ timezone: 'America/New_York' });
    expect(serviceStatus(ny, new Date('2026-03-06T23:00:00Z')).nextOpen).toEqual(new Date('2026-03-09T13:00:00Z')); // Fri evening → Mon after the change
    expect(serviceStatus(ny, new Date('2026-10-30T23:00:00Z')).nextOpen).toEqual(new Date('2026-11-02T14:00:00Z'));
    expect(formatLocal(new Date('2026-11-02T14:00:00Z'), 'America/New_York')).toBe('2026-11-02 09:00 (America/New_York)');
  });
  test('no workdays at all: closed with no opening', () => {
    expect(serviceStatus(hours({ workdays: [] }), new Date('2026-12-02T02:00:00Z'))).toEqual({ open: false, nextOpen: null });
  });
  test('settings reject a bad time zone and an end before the start', () => {
    expect(SupportSettingsSchema.safeParse({ timezone: 'Mars/Olympus' }).success).toBe(false);
    expect(SupportSettingsSchema.safeParse({ start: '18:00', end: '09:00' }).success).toBe(false);
  });
});

describe('intents', () => {
  test.each([
    ['转人工', 'human'], ['人工服务', 'human'], ['联系客服', 'human'], ['human', 'human'], ['agent', 'human'], ['talk to a person', 'human'],
    ['还是不行', 'stillFails'], ['it still fails', 'stillFails'], ['账号被盗', 'security'], ['my account was stolen', 'security'],
    ['phishing', 'security'], ['spam sent from my account', 'security'], ['解决了，谢谢', 'resolved'], ['好的', 'affirm'], ['yes', 'affirm'],
  ] as const)('%s → %s', (text, intent) => {
    expect(intentsOf(text)[intent]).toBe(true);
  });
  test.each(['不用转人工', "I don't need a human", 'the user agent header', 'not resolved', '好的问题是我的邮件一直发不出去怎么办'])('no request or yes in "%s"', (text) => {
    const i = intentsOf(text);
    expect(i.human || i.resolved || i.affirm).toBe(false);
  });
});

describe('slot filling', () => {
  test('client with version, OS, network, time, error code from Chinese text', () => {
    const s = extractSlots('昨天下午3点开始，公司网络下用 Outlook 2016 (Windows 10) 发信报 550 5.7.1 错误');
    expect(s).toMatchObject({ client: 'Outlook 2016', os: 'Windows 10', network: 'office network', errorCode: '550 5.7.1' });
    expect(s.timestamp).toMatch(/^昨天下午3点/);
  });
  test('English text: iPhone Mail over VPN, Foxmail and 网易邮箱大师 names', () => {
    expect(extractSlots('On my iPhone Mail over VPN it fails since this morning')).toMatchObject({ client: 'iPhone Mail', network: 'VPN / proxy', os: 'iPhone' });
    expect(extractSlots('Foxmail 7.2 在家里用 4G').client).toBe('Foxmail 7.2');
    expect(extractSlots('网易邮箱大师收不到').client).toBe('网易邮箱大师');
  });
  test('an address is the mailbox only when called one, or when the bot asked for it', () => {
    expect(extractSlots('发给 bob@partner.cn 失败').mailbox).toBeUndefined();
    expect(extractSlots('我的邮箱是 li@acme.cn').mailbox).toBe('li@acme.cn');
    expect(extractSlots('li@acme.cn', { expecting: ['mailbox'] }).mailbox).toBe('li@acme.cn');
  });
  test('merging keeps known values and upgrades a client to its versioned name', () => {
    const t = mergeTemplate({ ...emptyTemplate(), client: 'Outlook', mailbox: 'a@b.cn' }, { client: 'Outlook 2019', mailbox: 'x@y.cn' });
    expect(t).toMatchObject({ client: 'Outlook 2019', mailbox: 'a@b.cn' });
  });
});

describe('policy', () => {
  const base = { now: new Date('2026-12-02T02:00:00Z'), startedAt: new Date('2026-12-02T02:00:00Z'), idleSeconds: 180, confidenceThreshold: 0.6 };
  const unknown: DiagnosisDigest = { rootCause: 'unknown', reason: 'undefined', category: 'delivery', confidence: 0, summary: '', steps: [], title: null, errorCode: null, provider: null };
  const noIntent = intentsOf('');

  test('the questions never ask for a password or a code', () => {
    for (const q of Object.values(QUESTIONS)) expect(`${q.zh} ${q.en}`).not.toMatch(/密码|验证码|授权码|动态码|password|passcode|verification code|one-time|\bOTP\b/i);
  });
  test('low confidence: asks two fields at a time, then hands over once they were asked', () => {
    let memory = emptyMemory(emptyTemplate());
    const first = decide({ ...base, memory, intents: noIntent, text: '邮件有问题', diagnosis: unknown });
    expect(first).toEqual({ action: 'ask', ask: ['errorText', 'mailbox'], offerHuman: false });
    memory = { ...memory, asked: { errorText: 1, mailbox: 1 }, askRounds: 1 };
    const second = decide({ ...base, memory, intents: noIntent, text: '不知道', diagnosis: unknown });
    expect(second).toMatchObject({ action: 'ask', ask: ['client', 'steps'] });
    memory = { ...memory, asked: { ...memory.asked, client: 1, steps: 1 }, askRounds: 2 };
    expect(decide({ ...base, memory, intents: noIntent, text: '不知道', diagnosis: unknown })).toMatchObject({ action: 'handoff', reason: 'low_confidence' });
  });
  test('security beats an explicit request, and both beat everything else', () => {
    const memory = emptyMemory(emptyTemplate());
    expect(decide({ ...base, memory, intents: intentsOf('账号被盗了，转人工'), text: '', diagnosis: null })).toMatchObject({ reason: 'security', kind: 'security', priority: 'high' });
    expect(decide({ ...base, memory, intents: intentsOf('转人工'), text: '', diagnosis: null })).toMatchObject({ reason: 'user_request' });
  });
  test('the idle offer comes once, after the configured time', () => {
    const memory = emptyMemory(emptyTemplate());
    const d: DiagnosisDigest = { ...unknown, rootCause: 'mailbox_full', confidence: 0.9 };
    const later = { ...base, now: new Date(base.startedAt.getTime() + 180_000) };
    expect(decide({ ...base, memory, intents: noIntent, text: 'x', diagnosis: d })).toMatchObject({ action: 'answer', offerHuman: false });
    expect(decide({ ...later, memory, intents: noIntent, text: 'x', diagnosis: d })).toMatchObject({ action: 'answer', offerHuman: true });
    expect(decide({ ...later, memory: { ...memory, offeredHuman: true }, intents: noIntent, text: 'x', diagnosis: d })).toMatchObject({ offerHuman: false });
  });
  test('routing: emergency only for security or urgent outside hours; advanced only for verified admins', () => {
    const settings = SupportSettingsSchema.parse({});
    const night = new Date('2026-12-02T14:00:00Z');
    const user = { role: 'user' as const, verified: false };
    expect(route({ kind: 'security', priority: 'high', user, settings, now: night }).channel).toBe('emergency');
    expect(route({ kind: 'outage', priority: 'urgent', user, settings, now: night }).channel).toBe('emergency');
    expect(route({ kind: 'config', priority: 'high', user, settings, now: night })).toMatchObject({ channel: 'standard', opensAt: new Date('2026-12-03T01:00:00Z') });
    expect(route({ kind: 'config', priority: 'normal', user: { role: 'admin', verified: true }, settings, now: base.now }).queue).toBe('advanced');
    expect(route({ kind: 'config', priority: 'normal', user: { role: 'admin', verified: false }, settings, now: base.now })).toMatchObject({ queue: 'config', needsVerification: true });
  });
  test('similarity treats a re-typed message as the same and a different one as different', () => {
    expect(similarity('邮件退回了550511userunknown', '邮件退回了550511userunknown收件人')).toBeGreaterThan(0.8);
    expect(similarity('mailtobobbounced', 'outlookcannotconnect')).toBeLessThan(0.3);
  });
});
