import { describe, expect, it } from 'vitest';
import { classifyText, confidenceOf } from '../../src/diagnosis/index.js';

describe('confidence scheme', () => {
  it('ranks provider phrase > generic phrase > enhanced code > bare reply code', () => {
    const vendor = confidenceOf({ kind: 'vendor_phrase', specificity: 90, corroborated: false, competitor: -1 });
    const generic = confidenceOf({ kind: 'generic_phrase', specificity: 80, corroborated: false, competitor: -1 });
    const strongCode = confidenceOf({ kind: 'enhanced_code', specificity: 40, statusKey: '7.26', corroborated: false, competitor: -1 });
    const weakCode = confidenceOf({ kind: 'enhanced_code', specificity: 40, statusKey: '7.1', corroborated: false, competitor: -1 });
    const reply = confidenceOf({ kind: 'reply_code', specificity: 20, corroborated: false, competitor: -1 });
    expect(vendor).toBeGreaterThan(generic);
    expect(generic).toBeGreaterThan(strongCode);
    expect(strongCode).toBeGreaterThan(weakCode);
    expect(weakCode).toBeGreaterThan(reply);
    expect(confidenceOf({ kind: 'none', specificity: 0, corroborated: false, competitor: -1 })).toBe(0);
  });

  it('caps generic phrases below provider wording and rewards an agreeing status code', () => {
    expect(confidenceOf({ kind: 'generic_phrase', specificity: 95, corroborated: false, competitor: -1 })).toBe(0.88);
    expect(confidenceOf({ kind: 'generic_phrase', specificity: 80, corroborated: true, competitor: -1 })).toBe(0.85);
  });

  it('lowers confidence when a competing root cause matched nearly as well', () => {
    const alone = confidenceOf({ kind: 'generic_phrase', specificity: 80, corroborated: false, competitor: -1 });
    const close = confidenceOf({ kind: 'generic_phrase', specificity: 80, corroborated: false, competitor: 78 });
    const far = confidenceOf({ kind: 'generic_phrase', specificity: 80, corroborated: false, competitor: 50 });
    expect(close).toBeLessThan(alone);
    expect(far).toBe(alone);
  });

  it('shows the same ordering on real texts', () => {
    const vendor = classifyText('550 5.2.1 The email account that you tried to reach is disabled.').confidence;
    const generic = classifyText('550 5.2.1 account disabled').confidence;
    const code = classifyText('550 5.2.1').confidence;
    const reply = classifyText('550').confidence;
    expect(vendor).toBeGreaterThan(generic);
    expect(generic).toBeGreaterThan(code);
    expect(code).toBeGreaterThan(reply);
  });

  it('lists the competing root causes as alternatives, never above the answer', () => {
    const c = classifyText('550 5.7.1 Message rejected: spam detected; your IP is listed on a blocklist');
    expect(c.alternatives.length).toBeGreaterThan(0);
    for (const a of c.alternatives) {
      expect(a.rootCause).not.toBe(c.rootCause);
      expect(a.confidence).toBeLessThanOrEqual(c.confidence);
    }
  });
});
