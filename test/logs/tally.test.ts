import { describe, expect, it } from 'vitest';
import { Tally, DeliveryRec } from '../../src/logs/tally.js';

function deferral(tally: Tally, text: string, domain = 'example.org'): void {
  const r = new DeliveryRec();
  Object.assign(r, { t: 1_700_000_000_000, qid: 'Q1', sender: 's@example.net', recipient: `r@${domain}`, status: 'deferred', relay: 'x', delay: 1, dsn: '4.0.0', reason: text, size: 10, firstDeferral: true, line: `line: ${text}` });
  tally.delivery(r);
}

describe('Tally failure groups', () => {
  it('groups by kind, target and normalized text; inbound rejects by the refused domain', () => {
    const t = new Tally();
    deferral(t, 'host mx.example.org[203.0.113.1] said: 451 4.7.1 try later (queue 1A2B3C4D5E)');
    deferral(t, 'host mx.example.org[203.0.113.2] said: 451 4.7.1 try later (queue 9F8E7D6C5B)');
    deferral(t, 'host mx.example.org[203.0.113.2] said: 451 4.7.1 try later', 'other.example');
    t.reject('reject', 1, '198.51.100.1', 'a@b.example', 'u@Example.NET', '554 5.7.1 <u@example.net>: Relay access denied', 'l1');
    t.reject('reject', 2, '198.51.100.2', 'a@b.example', 'v@example.net', '554 5.7.1 <v@example.net>: Relay access denied', 'l2');
    t.reject('reject', 3, '198.51.100.3', '', '', '554 5.7.1 Service unavailable', 'l3');
    expect(t.groupList.map((g) => [g.kind, g.target, g.count])).toEqual([
      ['deferred', 'example.org', 2], ['deferred', 'other.example', 1],
      ['rejected', 'example.net (inbound)', 2], ['rejected', '(inbound)', 1],
    ]);
    expect(t.groupList[2]!.textKey).toBe('i554 5.7.1 <>: Relay access denied');
  });

  it('caps distinct groups: further texts share one group per kind, nothing is lost', () => {
    const t = new Tally();
    // letters only: texts with long digit runs would normalize to one
    const word = (i: number): string => i.toString(26).replace(/./g, (d) => String.fromCharCode(97 + parseInt(d, 26)));
    for (let i = 0; i < 20_500; i++) deferral(t, `451 4.3.0 temporary failure ${word(i)}`);
    expect(t.groupList).toHaveLength(20_001);
    expect(t.groupList[20_000]!.count).toBe(500);
    expect(t.groupList.reduce((a, g) => a + g.count, 0)).toBe(20_500);
  });

  it('merges partial tallies group by group', () => {
    const a = new Tally(), b = new Tally();
    deferral(a, '451 4.7.1 greylisted');
    deferral(b, '451 4.7.1 greylisted');
    b.reject('reject', 5, '198.51.100.9', 'x@y.example', 'z@example.net', '550 5.1.1 <z@example.net>: User unknown', 'l');
    a.merge(b.toPartial());
    expect(a.groupList.map((g) => [g.kind, g.target, g.count])).toEqual([['deferred', 'example.org', 2], ['rejected', 'example.net (inbound)', 1]]);
    b.reject('reject', 6, '198.51.100.9', 'x@y.example', 'q@example.net', '550 5.1.1 <q@example.net>: User unknown', 'l');
    const c = new Tally();
    c.merge(b.toPartial());
    c.merge(b.toPartial());
    expect(c.groupList.map((g) => [g.target, g.count])).toEqual([['example.org', 2], ['example.net (inbound)', 4]]);
  });
});
