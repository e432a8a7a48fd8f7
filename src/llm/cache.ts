// Model answers cached in the database with a TTL. A cache that fails (database busy or down) is
// a miss, never an error: the cache only saves calls.
import { createHash } from 'node:crypto';
import type { Db } from '../store/index.js';

export interface CacheKeyParts {
  model: string;
  prompt: string;
  promptVersion: string;
  lang: string;
  /** the exact (redacted, masked) messages sent */
  input: string;
}

export function cacheKey(p: CacheKeyParts): string {
  return createHash('sha256')
    .update(JSON.stringify([p.model, p.prompt, p.promptVersion, p.lang, p.input]))
    .digest('hex');
}

const PURGE_EVERY_MS = 3_600_000;

export class LlmCache {
  private lastPurge = 0;

  constructor(
    private readonly db: Db,
    private readonly ttlSeconds: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  get enabled(): boolean {
    return this.ttlSeconds > 0;
  }

  async get(key: string): Promise<unknown> {
    if (!this.enabled) return undefined;
    try {
      const r = await this.db.query<{ response: unknown }>(
        'SELECT response FROM llm_cache WHERE key = $1 AND expires_at > now()',
        [key],
      );
      return r.rows[0]?.response;
    } catch (err) {
      this.onError(err);
      return undefined;
    }
  }

  async put(key: string, parts: Omit<CacheKeyParts, 'input'>, response: unknown): Promise<void> {
    if (!this.enabled) return;
    try {
      await this.db.query(
        `INSERT INTO llm_cache (key, prompt, prompt_version, model, lang, response, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))
         ON CONFLICT (key) DO UPDATE SET response = EXCLUDED.response, created_at = now(), expires_at = EXCLUDED.expires_at`,
        [key, parts.prompt, parts.promptVersion, parts.model, parts.lang, JSON.stringify(response), this.ttlSeconds],
      );
      if (Date.now() - this.lastPurge > PURGE_EVERY_MS) {
        this.lastPurge = Date.now();
        await this.db.query('DELETE FROM llm_cache WHERE expires_at <= now()');
      }
    } catch (err) {
      this.onError(err);
    }
  }
}
