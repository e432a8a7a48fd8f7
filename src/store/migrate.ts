// Plain SQL migrations, applied in file-name order, each once, all in one transaction.
// A file whose first line is `-- requires: vector` is applied only where pgvector is enabled;
// elsewhere it is left pending (and applied on a later start once the extension exists).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.js';

const DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
// Serialises concurrent start-ups (several API/worker processes on one PostgreSQL).
const LOCK_KEY = 727_001;

export interface MigrationResult {
  applied: string[];
  skipped: { version: string; reason: string }[];
}

export async function migrate(db: Db, dir = DIR): Promise<MigrationResult> {
  const files = readdirSync(dir).filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f)).sort();
  const result: MigrationResult = { applied: [], skipped: [] };
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  await db.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    const done = new Set(
      (await q.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version),
    );
    for (const file of files) {
      const version = file.replace(/\.sql$/, '');
      if (done.has(version)) continue;
      const sql = readFileSync(`${dir}/${file}`, 'utf8');
      if (/^--\s*requires:\s*vector/m.test(sql.split('\n', 1)[0] ?? '') && !db.features.vector) {
        result.skipped.push({ version, reason: 'pgvector is not available' });
        continue;
      }
      try {
        await q.exec(sql);
        await q.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
      } catch (err) {
        throw new Error(`migration ${file} failed: ${(err as Error).message}`);
      }
      result.applied.push(version);
    }
  });
  return result;
}
