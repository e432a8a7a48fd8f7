// Configuration from the environment, validated once at start-up. Every variable is listed with its
// default in .env.example; a bad value stops the process with one line naming the variable.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
// The custom message only for a non-number: range errors keep zod's "must be <= N" wording.
const notANumber = { error: (i: { code: string }) => (i.code === 'invalid_type' ? 'must be a number' : undefined) };
const int = (min: number, max: number) =>
  z.coerce.number(notANumber).int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const url = (protocols: string[]) =>
  z.url({ error: `must be a URL (${protocols.join(', ')})` }).refine(
    (v) => protocols.some((p) => v.startsWith(`${p}://`)),
    `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
  );
const list = z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  REDIS_URL: url(['redis', 'rediss']).optional(),
  /** Redis key prefix, so several deployments can share one Redis */
  REDIS_PREFIX: z.string().regex(/^[\w-]+$/, 'letters, digits, _ and - only').default('mailmedic'),
  /** run job handlers inside `serve` too (the embedded default); set false when separate workers run */
  JOBS_IN_PROCESS: bool.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: int(1024, 1024 ** 3).default(25 * 1024 * 1024),
  RATE_LIMIT_PER_MINUTE: int(1, 1_000_000).default(600),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(25_000),
  CONFIDENCE_THRESHOLD: z.coerce.number(notANumber).min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').default(0.6),
  // LLM (issue 5): any OpenAI-compatible endpoint; unset = deterministic only.
  LLM_BASE_URL: url(['http', 'https']).optional(),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().optional(),
  LLM_TIMEOUT_MS: int(100, 600_000).default(20_000),
  LLM_MAX_RETRIES: int(0, 10).default(2),
  LLM_CACHE_TTL_SECONDS: int(0, 365 * 86400).default(7 * 86400),
  LLM_MASK_IDENTIFIERS: bool.default(true),
  // Embeddings (issue 4): unset = full-text retrieval only.
  EMBEDDINGS_BASE_URL: url(['http', 'https']).optional(),
  EMBEDDINGS_API_KEY: z.string().optional(),
  EMBEDDINGS_MODEL: z.string().optional(),
  EMBEDDINGS_DIM: int(8, 8192).optional(),
  KNOWLEDGE_DIR: z.string().min(1).default('./knowledge'),
  PROMPTS_DIR: z.string().min(1).default('./prompts'),
  // Logs (issue 6)
  LOG_UPLOAD_MAX_BYTES: int(1, 2 ** 45).default(2 * 1024 ** 3),
  // where uploads wait for their job: a directory the API and every log-analysis worker share
  LOG_SPOOL_DIR: z.string().min(1).default(join(tmpdir(), 'mailmedic-log-uploads')),
  // DNS and probes (issue 7)
  DNS_SERVERS: list.optional(),
  DNS_TIMEOUT_MS: int(100, 60_000).default(2_000),
  DNSBL_ZONES: list.default(['zen.spamhaus.org', 'b.barracudacentral.org', 'bl.spamcop.net']),
  PROBE_ALLOWLIST: list.default([]),
  SMTP_PROBE_PORT: int(1, 65535).default(25),
  // Support (issue 8)
  HANDOFF_IDLE_SECONDS: int(10, 86_400).default(180),
  PUBLIC_BASE_URL: url(['http', 'https']).optional(),
  // Alerts (issue 9)
  FORECAST_CRON: z.string().min(1).default('0 6 * * *'),
  FORECAST_THRESHOLD_DAYS: z.coerce.number(notANumber).min(0, 'must be at least 0').max(365, 'must be at most 365').default(3),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError with one readable line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(ConfigSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? 'config');
      const shown = raw[key] === undefined ? '' : ` (got "${mask(key, raw[key])}")`;
      return `${key}${shown}: ${i.message}`;
    });
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  return parsed.data;
}

function mask(key: string, value: string): string {
  if (/KEY|SECRET|TOKEN|PASSWORD/.test(key)) return '***';
  // URLs may carry credentials: show them without the user-info part.
  return value.replace(/\/\/[^/@]*@/, '//***@').slice(0, 80);
}
