import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../../config.js';
import { ROOT_CAUSES } from '../../core/taxonomy.js';
import { openDb, migrate } from '../../store/index.js';
import { KnowledgeError, searchKnowledge, syncKnowledge, type KbContext } from '../../knowledge/index.js';

const USAGE = `usage:
  mailmedic kb ingest [--dir D]                         load knowledge/ into the index (only changed articles)
  mailmedic kb search "question" [--lang zh|en] [--k 5] [--root-cause RC] [--json]
`;

export async function run(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        dir: { type: 'string' },
        lang: { type: 'string' },
        k: { type: 'string' },
        'root-cause': { type: 'string' },
        json: { type: 'boolean' },
      },
    });
  } catch (err) {
    process.stderr.write(`mailmedic kb: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (action !== 'ingest' && action !== 'search') {
    process.stderr.write(USAGE);
    return 2;
  }
  const lang = values.lang;
  if (lang !== undefined && lang !== 'zh' && lang !== 'en') {
    process.stderr.write('mailmedic kb: --lang must be zh or en\n');
    return 2;
  }
  const k = values.k === undefined ? 5 : Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > 50) {
    process.stderr.write('mailmedic kb: --k must be a whole number from 1 to 50\n');
    return 2;
  }
  const rootCause = values['root-cause'];
  if (rootCause !== undefined && !(ROOT_CAUSES as readonly string[]).includes(rootCause)) {
    process.stderr.write(`mailmedic kb: --root-cause must be one of: ${ROOT_CAUSES.join(', ')}\n`);
    return 2;
  }
  const text = positionals.join(' ').trim();
  if (action === 'search' && !text) {
    process.stderr.write(`mailmedic kb search: give the question to search for\n${USAGE}`);
    return 2;
  }

  const config = loadConfig();
  const db = await openDb(config);
  // Progress and warnings to stderr; stdout carries only the results.
  const ctx: KbContext = { config, db, log: pino({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL }, pino.destination(2)) };
  try {
    await migrate(db);
    if (action === 'ingest') {
      const r = await syncKnowledge(ctx, { dir: values.dir });
      process.stdout.write(
        `added ${r.added}, updated ${r.updated}, removed ${r.removed}, unchanged ${r.unchanged}; embedded ${r.embedded} chunk(s)\n`,
      );
      if (r.embeddingError) process.stderr.write(`embeddings not made (full-text search still works): ${r.embeddingError}\n`);
      if (!db.features.vector && config.EMBEDDINGS_BASE_URL) {
        process.stderr.write('this database has no pgvector: embeddings are not stored, search uses full text only\n');
      }
      return 0;
    }
    const hits = await searchKnowledge(ctx, { text, lang: lang as 'zh' | 'en' | undefined, k, rootCause });
    if (values.json) process.stdout.write(`${JSON.stringify(hits, null, 2)}\n`);
    else if (!hits.length) process.stdout.write('no matching article\n');
    else {
      for (const [i, h] of hits.entries()) {
        const where = h.anchor ? `#${h.anchor}` : '';
        process.stdout.write(`${i + 1}. [${h.lang}] ${h.articleId}${where}  (score ${h.score})\n   ${h.title}${h.heading ? ` › ${h.heading}` : ''}\n   ${h.snippet}\n`);
      }
    }
    return 0;
  } catch (err) {
    if (err instanceof KnowledgeError) {
      process.stderr.write(`mailmedic kb: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await db.close();
  }
}
