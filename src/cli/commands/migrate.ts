import { loadConfig } from '../../config.js';
import { openDb, migrate } from '../../store/index.js';

export async function run(): Promise<number> {
  const config = loadConfig();
  const db = await openDb(config);
  try {
    const { applied, skipped } = await migrate(db);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
    for (const s of skipped) process.stdout.write(`pending: ${s.version} (${s.reason})\n`);
    return 0;
  } finally {
    await db.close();
  }
}
