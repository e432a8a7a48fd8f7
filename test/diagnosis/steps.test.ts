import { describe, expect, it } from 'vitest';
import { LANGS, ROOT_CAUSES } from '../../src/core/taxonomy.js';
import { EN } from '../../src/diagnosis/steps/en.js';
import { PROVIDERS, localize } from '../../src/diagnosis/steps/index.js';
import { ZH } from '../../src/diagnosis/steps/zh.js';

const CJK = /[\u4e00-\u9fff]/;

describe('localize', () => {
  for (const rootCause of ROOT_CAUSES) {
    for (const lang of LANGS) {
      it(`${rootCause} / ${lang}, general and every provider variant`, () => {
        for (const provider of [null, ...PROVIDERS]) {
          const a = localize(rootCause, lang, provider);
          const where = `${rootCause}/${lang}/${provider ?? 'none'}`;
          expect(a.title.trim(), where).not.toBe('');
          expect(a.summary.trim(), where).not.toBe('');
          expect(a.steps.length, where).toBeGreaterThanOrEqual(3);
          expect(a.steps.length, where).toBeLessThanOrEqual(6);
          for (const text of [a.title, a.summary, ...a.steps]) {
            expect(text.trim(), where).not.toBe('');
            if (lang === 'zh') expect(text, where).toMatch(CJK);
            else expect(text, where).not.toMatch(CJK);
          }
        }
      });
    }
  }

  it('both languages offer the same provider variants', () => {
    for (const rc of ROOT_CAUSES) {
      expect(Object.keys(ZH[rc].providers ?? {}).sort(), rc).toEqual(Object.keys(EN[rc].providers ?? {}).sort());
    }
  });

  it('uses the provider variant where the fix differs, the general advice otherwise', () => {
    expect(localize('auth_method_disabled', 'en', 'microsoft').steps.join(' ')).toContain('Set-CASMailbox');
    expect(localize('auth_credentials_invalid', 'zh', 'tencent').steps.join(' ')).toContain('smtp.exmail.qq.com');
    expect(localize('auth_credentials_invalid', 'zh', 'netease').steps.join(' ')).toContain('授权码');
    expect(localize('mailbox_full', 'en', 'microsoft')).toEqual(localize('mailbox_full', 'en'));
    expect(localize('mailbox_full', 'en', 'not-a-provider')).toEqual(localize('mailbox_full', 'en'));
  });

  it('returns a copy callers can change', () => {
    localize('unknown', 'en').steps.push('x');
    expect(localize('unknown', 'en').steps).not.toContain('x');
  });
});
