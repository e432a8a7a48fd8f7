import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigSchema, loadConfig } from '../../src/config.js';

describe('config', () => {
  it('has working defaults: embedded database, port 8080, no LLM', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(8080);
    expect(c.HOST).toBe('127.0.0.1');
    expect(c.DATA_DIR).toBe('./data');
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.LLM_BASE_URL).toBeUndefined();
    expect(c.CONFIDENCE_THRESHOLD).toBe(0.6);
  });

  it('names each bad variable in one line', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', CONFIDENCE_THRESHOLD: '2' });
    } catch (err) {
      const msg = (err as Error).message;
      expect(msg).not.toContain('\n');
      expect(msg).toMatch(/PORT \(got "abc"\): must be a number/);
      expect(msg).toMatch(/DATABASE_URL .*postgres:\/\//);
      expect(msg).toMatch(/CONFIDENCE_THRESHOLD/);
    }
  });

  it('.env.example lists every variable', () => {
    const example = readFileSync('.env.example', 'utf8');
    for (const key of Object.keys(ConfigSchema.shape)) expect(example).toMatch(new RegExp(`^#? ?${key}=`, 'm'));
  });

  it('never echoes secrets from bad values', () => {
    try {
      loadConfig({ LLM_BASE_URL: 'not a url', DATABASE_URL: 'mysql://user:secret@host/db' });
    } catch (err) {
      expect((err as Error).message).not.toContain('secret');
    }
  });
});

describe('mailmedic start-up errors', () => {
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['bin/mailmedic.js', 'serve'], {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });

  it('PORT=abc exits non-zero with one clear line', () => {
    const r = run({ PORT: 'abc' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^mailmedic: invalid configuration: PORT/);
  });

  it('an unreachable DATABASE_URL exits non-zero with one clear line, no stack', () => {
    const r = run({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot connect to DATABASE_URL/);
    expect(r.stderr).not.toMatch(/\s+at\s/);
  });

  it('unknown commands print the usage', () => {
    const r = spawnSync(process.execPath, ['bin/mailmedic.js', 'frobnicate'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
    expect(r.stderr).toMatch(/serve/);
  });
});
