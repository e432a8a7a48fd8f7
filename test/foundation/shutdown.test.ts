import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Starts the real `mailmedic serve` process on an ephemeral port with a fresh PGlite directory.
function startServe(dataDir: string): Promise<{ child: ChildProcessWithoutNullStreams; url: string; key: string; out: () => string }> {
  const child = spawn(process.execPath, ['bin/mailmedic.js', 'serve'], {
    env: { PATH: process.env.PATH, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    child.stdout.on('data', () => {
      const url = /listening on (http:\/\/\S+) /.exec(out)?.[1];
      const key = /\n\s+(mm_\S+)\n/.exec(out)?.[1];
      if (url && key) {
        clearTimeout(timer);
        resolve({ child, url, key, out: () => out });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}

describe('mailmedic serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm-serve-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts embedded, prints one admin key, and on SIGTERM finishes the request in flight before exiting 0', async () => {
    const { child, url, key, out } = await startServe(dir);
    expect(out()).toMatch(/created tenant "default"/);

    // A request whose body arrives slowly: it is in flight when SIGTERM lands.
    const body = JSON.stringify({ role: 'agent', label: 'slow client' });
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${url}/v1/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      }, (res) => {
        let data = '';
        res.on('data', (d) => (data += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: data }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 200);
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const r = await response;
    expect(r.status).toBe(201);
    expect(JSON.parse(r.body).key).toMatch(/^mm_/);
    expect(await exited).toBe(0);

    // A second start on the same data directory keeps the tenant and prints no new key.
    const again = spawn(process.execPath, ['bin/mailmedic.js', 'keys', 'list'], { env: { PATH: process.env.PATH, DATA_DIR: dir } });
    let listed = '';
    again.stdout.on('data', (d) => (listed += d));
    await new Promise((r2) => again.on('exit', r2));
    expect(listed.split('\n').filter(Boolean)).toHaveLength(2);
  }, 120_000);
});
