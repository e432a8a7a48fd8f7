import { describe, expect, it } from 'vitest';
import { queryTokens, stem, tokenize } from '../../src/knowledge/tokenize.js';
import { parseFrontMatter } from '../../src/knowledge/frontmatter.js';
import { KnowledgeError, loadArticles, toArticle } from '../../src/knowledge/articles.js';
import { chunkArticle, slug } from '../../src/knowledge/chunk.js';
import { orQuery, snippet } from '../../src/knowledge/search.js';
import { articleText, FIXTURES, writeKnowledge } from './fixtures.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

describe('tokenize', () => {
  it('keeps mail words the segmenter would split (退信, 客户端, 收件人, 服务器)', () => {
    expect(tokenize('我的邮件被退信了')).toContain('退信');
    expect(tokenize('客户端授权码登录失败')).toEqual(expect.arrayContaining(['客户端', '授权码', '登录']));
    expect(tokenize('发件人域名没有SPF记录')).toEqual(expect.arrayContaining(['发件人', '域名', 'spf', '记录']));
    expect(tokenize('无法连接服务器，连接超时')).toEqual(expect.arrayContaining(['服务器', '超时']));
  });

  it('keeps status codes whole and splits everything else into plain words', () => {
    expect(tokenize('550-5.7.26 and x.2.2 at 192.0.2.1')).toEqual(['550', '5.7.26', 'x.2.2', '192.0.2.1']);
    expect(tokenize('STOREDRV.Deliver.Exception:QuotaExceededException')).toEqual(['storedrv', 'deliver', 'except', 'quotaexceededexcept']);
  });

  it('maps synonyms across languages to one token and drops stop words', () => {
    const [bounceZh] = tokenize('退回');
    expect(tokenize('bounced')).toEqual([bounceZh]);
    expect(tokenize('NDR')).toEqual([bounceZh]);
    expect(tokenize('邮件被退回了')).toContain(bounceZh);
    expect(tokenize('how do I fix this')).toEqual(['fix']);
    expect(tokenize('为什么我的邮箱满了')).toEqual(['邮箱', '满']);
  });

  it('normalises full-width characters and drops emoji and punctuation', () => {
    expect(tokenize('５５０　错误😀！！')).toEqual(['550', '错误']);
    expect(tokenize("' & | ! :* () \\")).toEqual([]);
  });

  it('stems English words the same way on both sides', () => {
    expect(stem('rejected')).toBe(stem('rejection'));
    expect(stem('messages')).toBe(stem('message'));
    expect(stem('addresses')).toBe('address');
    expect(stem('status')).toBe('status');
  });

  it('bounds the work for huge questions', () => {
    const q = 'quota '.repeat(5000) + Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    expect(queryTokens(q).length).toBeLessThanOrEqual(64);
  });
});

describe('tsquery building', () => {
  it('quotes every token, so operators in the input cannot reach to_tsquery', () => {
    expect(orQuery(['a', "b'c", 'd\\e'])).toBe("'a' | 'b''c' | 'd\\\\e'");
  });

  it('picks the snippet sentence sharing most tokens with the question', () => {
    const text = '- First line about nothing.\n- The mailbox is over **quota** today.\n- Another line.';
    expect(snippet(text, tokenize('quota exceeded'))).toBe('The mailbox is over quota today.');
  });
});

describe('front matter and articles', () => {
  it('parses scalars, [a, b] lists and "- item" lists', () => {
    const { data, body } = parseFrontMatter('x.md', '---\nid: a\nlist: [x, "y"]\nsrc:\n  - one\n  - two: with colon\n---\n# T\n');
    expect(data).toEqual({ id: 'a', list: ['x', 'y'], src: ['one', 'two: with colon'] });
    expect(body).toBe('# T\n');
  });

  it.each([
    ['no front matter', '# Title\n', /missing front matter/],
    ['unclosed', '---\nid: a\n', /not closed/],
    ['bad line', '---\nid: a\nthis is not yaml\n---\nx', /line 3: expected "key: value"/],
    ['unclosed list', '---\nid: a\nrootCauses: [a, b\n---\nx', /not closed with "]"/],
    ['orphan item', '---\n  - x\n---\nx', /list item without a key/],
  ])('rejects %s with the file name', (_name, text, message) => {
    expect(() => parseFrontMatter('en/bad.md', text)).toThrow(message);
    expect(() => parseFrontMatter('en/bad.md', text)).toThrow(/^en\/bad\.md: /);
  });

  it('validates id, lang, title and root causes against the taxonomy', () => {
    const good = articleText(FIXTURES[0]!);
    expect(toArticle('en/a.md', 'en', good).rootCauses).toEqual(['mailbox_full']);
    expect(() => toArticle('zh/a.md', 'zh', good)).toThrow(/zh\/a\.md: lang "en" does not match its folder "zh\/"/);
    expect(() => toArticle('en/a.md', 'en', good.replace('mailbox_full', 'mailbox_ful'))).toThrow(/unknown rootCauses: mailbox_ful/);
    expect(() => toArticle('en/a.md', 'en', good.replace(/^title: .*$/m, ''))).toThrow(/needs "title"/);
    expect(() => toArticle('en/a.md', 'en', good.replace('id: rc-mailbox-full', 'id: Bad Id'))).toThrow(/lower-case/);
  });

  it('lists every broken file at once and refuses duplicate ids', () => {
    const kb = writeKnowledge();
    try {
      writeFileSync(join(kb.dir, 'en', 'broken.md'), 'no front matter');
      writeFileSync(join(kb.dir, 'en', 'copy.md'), articleText(FIXTURES[0]!));
      let err: unknown;
      try {
        loadArticles(kb.dir);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(KnowledgeError);
      expect((err as KnowledgeError).problems).toEqual([
        'en/broken.md: missing front matter (the file must start with a "---" line)',
        'en/rc-mailbox-full.md: id "rc-mailbox-full" (en) is also used by en/copy.md',
      ]);
    } finally {
      kb.cleanup();
    }
  });
});

describe('chunking', () => {
  it('cuts at ## / ### headings, keeps heading paths and anchors, splits long sections', async () => {
    const body = `# Title\n\nIntro text.\n\n## How to fix it\n\nStep one.\n\n### On Outlook\n\nDo this.\n\n## Long\n\n${'A sentence that repeats. '.repeat(120)}`;
    const chunks = await chunkArticle(body, 'en');
    expect(chunks.slice(0, 3).map((c) => [c.heading, c.anchor, c.content])).toEqual([
      [null, null, 'Intro text.'],
      ['How to fix it', 'how-to-fix-it', 'Step one.'],
      ['How to fix it › On Outlook', 'on-outlook', 'Do this.'],
    ]);
    const long = chunks.filter((c) => c.heading === 'Long');
    expect(long.length).toBeGreaterThan(1);
    expect(Math.max(...long.map((c) => c.content.length))).toBeLessThanOrEqual(1200);
    expect(chunks.map((c) => c.ord)).toEqual(chunks.map((_, i) => i));
  });

  it('does not take # lines inside code fences for headings', async () => {
    const chunks = await chunkArticle('## A\n\n```\n# not a heading\n```\n', 'en');
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.content).toContain('# not a heading');
  });

  it('makes GitHub-style anchors, Chinese kept', () => {
    expect(slug('How to fix it (Outlook)')).toBe('how-to-fix-it-outlook');
    expect(slug('何时联系技术支持')).toBe('何时联系技术支持');
  });
});
