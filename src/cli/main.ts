#!/usr/bin/env node
// The `mailmedic` command. Sub-commands live in ./commands and are loaded on demand, so that
// `diagnose` or `analyze` start fast and need no database.
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { ConfigError } from '../config.js';
import { DbUnavailableError } from '../store/db.js';

const commands: Record<string, { describe: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  serve: { describe: 'run the HTTP API (and in-process jobs without Redis)', load: () => import('./commands/serve.js') },
  worker: { describe: 'process queued jobs from Redis (run any number)', load: () => import('./commands/worker.js') },
  migrate: { describe: 'apply database migrations', load: () => import('./commands/migrate.js') },
  keys: { describe: 'create | list | revoke API keys', load: () => import('./commands/keys.js') },
  diagnose: { describe: 'diagnose an SMTP error, bounce text or .eml (no server needed)', load: () => import('./commands/diagnose.js') },
  analyze: { describe: 'analyze mail server logs (no server needed)', load: () => import('./commands/analyze.js') },
  check: { describe: 'check the mail health of a domain (MX, SPF, DKIM, DMARC, ...)', load: () => import('./commands/check.js') },
  kb: { describe: 'ingest | search the knowledge base', load: () => import('./commands/kb.js') },
};

function usage(): string {
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.describe}`);
  return `usage: mailmedic <command> [options]\n\ncommands:\n${rows.join('\n')}\n`;
}

/** A ./.env file fills in variables the environment does not already set. */
function loadDotEnv(): void {
  if (!existsSync('.env')) return;
  for (const [k, v] of Object.entries(parseEnv(readFileSync('.env', 'utf8')))) process.env[k] ??= v;
}

async function main(argv: string[]): Promise<number> {
  loadDotEnv();
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`mailmedic: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return (await command.load()).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Everything was closed; if a stray handle still holds the event loop, do not hang an
    // orchestrator's stop (the timer itself does not keep the process alive).
    setTimeout(() => process.exit(code), 5_000).unref();
  },
  (err: unknown) => {
    // Expected start-up failures get one clear line; anything else its message (no stack dump).
    const known = err instanceof ConfigError || err instanceof DbUnavailableError;
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`mailmedic: ${message}\n`);
    if (!known && process.env.MAILMEDIC_DEBUG) console.error(err);
    process.exitCode = 1;
  },
);
