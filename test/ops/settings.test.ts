// Configuration is read and checked once at start: unknown CRM_* variables and malformed values
// stop the start with a message naming the variable; the README's Configure table lists exactly
// the known settings; no engine file reads an environment variable the settings module does not know.

import { spawn } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettings, settingSpecs } from '../../engine/settings/settings.ts';
import { startServer } from '../../engine/server/start-server.ts';

const root = path.resolve(import.meta.dirname, '../..');
const known = settingSpecs.map((s) => s.name);

describe('settings', () => {
  it('defaults when nothing is set', () => {
    expect(readSettings({})).toMatchObject({ port: 3000, host: '0.0.0.0', dataDir: './data', mongodbUri: undefined, timeZone: 'UTC', currency: undefined, logLevel: 'info', workers: 1, secureCookies: false, trustProxy: false, templateDirs: [], shutdownTimeoutMs: 10_000 });
  });

  it('reads typed values', () => {
    const s = readSettings({ PORT: '8080', CRM_WORKERS: '4', CRM_SCHEDULER_INTERVAL_MS: '0', CRM_MAIL_LISTEN: '[::1]:2525', CRM_TIME_ZONE: 'Asia/Shanghai', CRM_CURRENCY: 'EUR', CRM_SECURE_COOKIES: '1', CRM_TRUST_PROXY: 'loopback', MONGODB_URI: '', CRM_LOG_LEVEL: 'warn' });
    expect(s).toMatchObject({ port: 8080, workers: 4, schedulerIntervalMs: 0, mailListen: { host: '::1', port: 2525 }, timeZone: 'Asia/Shanghai', currency: 'EUR', secureCookies: true, trustProxy: 'loopback', mongodbUri: undefined, logLevel: 'warn' });
  });

  it.each([
    [{ CRM_ADMIN_EMIAL: 'a@b.test' }, /^CRM_ADMIN_EMIAL: unknown setting/],
    [{ CRM_WORKER: '2', CRM_ZZZ: '1' }, /^CRM_WORKER: unknown setting \(also CRM_ZZZ\)/],
    [{ PORT: 'eighty' }, /^PORT: expected a whole number from 0 to 65535, not "eighty"/],
    [{ PORT: '70000' }, /^PORT: expected a whole number/],
    [{ CRM_WORKERS: '0' }, /^CRM_WORKERS: expected a whole number from 1 to 64/],
    [{ CRM_JOB_LEASE_MS: '5m' }, /^CRM_JOB_LEASE_MS: expected a whole number/],
    [{ CRM_SCHEDULER_INTERVAL_MS: '-1' }, /^CRM_SCHEDULER_INTERVAL_MS: expected a whole number/],
    [{ CRM_TIME_ZONE: 'Mars/Olympus' }, /^CRM_TIME_ZONE: expected an IANA time zone/],
    // Three upper-case letters, but no currency Intl knows; and a known one in lower case (metadata writes codes upper case).
    [{ CRM_CURRENCY: 'XYZ' }, /^CRM_CURRENCY: expected an ISO 4217 currency code in upper case such as EUR or CNY, not "XYZ"/],
    [{ CRM_CURRENCY: 'eur' }, /^CRM_CURRENCY: expected an ISO 4217 currency code in upper case/],
    [{ CRM_LOG_LEVEL: 'verbose' }, /^CRM_LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent/],
    [{ CRM_SECURE_COOKIES: 'yes' }, /^CRM_SECURE_COOKIES: expected 0 or 1/],
    [{ CRM_TRUST_PROXY: 'not-an-address' }, /^CRM_TRUST_PROXY: /],
    [{ CRM_MAIL_LISTEN: '2525' }, /^CRM_MAIL_LISTEN: expected host:port/],
    [{ MONGODB_URI: 'postgres://x' }, /^MONGODB_URI: expected a mongodb:\/\/ or mongodb\+srv:\/\/ URL/],
    [{ SMTP_URL: 'not a url' }, /^SMTP_URL: expected a URL/],
    [{ CRM_METRICS_TOKEN: 'short' }, /^CRM_METRICS_TOKEN: expected at least 16 characters/],
    [{ CRM_ADMIN_EMAIL: 'admin' }, /^CRM_ADMIN_EMAIL: expected an e-mail address/],
  ])('refuses %j', (env, message) => {
    expect(() => readSettings(env)).toThrow(message);
  });

  it('a server does not start on a wrong setting', async () => {
    await expect(startServer({ dataDir: path.join(root, 'never-created'), port: 0, env: { CRM_WORKERS: 'many' } })).rejects.toThrow(/CRM_WORKERS/);
    await expect(startServer({ dataDir: path.join(root, 'never-created'), port: 0, env: { CRM_CURRENCY: 'XYZ' } })).rejects.toThrow(/^CRM_CURRENCY: /);
  });

  it('`crm serve` refuses to start on an unknown CRM_* variable, naming it, and exits 1', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DATA_DIR: path.join(root, 'never-created'), CRM_SHUTDOWN_TIMEOUT: '5' };
    const child = spawn(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', 'serve'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/CRM_SHUTDOWN_TIMEOUT: unknown setting; known CRM_\* settings: .*CRM_SHUTDOWN_TIMEOUT_MS/);
  });

  it("the README's Configure table lists exactly the known settings", async () => {
    const readme = await readFile(path.join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Configure\n'), readme.indexOf('\n## ', readme.indexOf('\n## Configure\n') + 5));
    const rows = section.split('\n').filter((l) => l.startsWith('| `'));
    const listed = rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]!));
    expect([...listed].sort()).toEqual([...known].sort());
  });

  it('no engine file reads an environment variable the settings module does not know', async () => {
    const files = (await readdir(path.join(root, 'engine'), { recursive: true })).filter((f) => /\.(ts|mjs|js)$/.test(f) && !f.includes('generated'));
    const offenders: string[] = [];
    for (const file of files) {
      const text = await readFile(path.join(root, 'engine', file), 'utf8');
      const code = text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
      if (file !== path.join('settings', 'settings.ts') && /process\s*\.\s*env|process\s*\[\s*['"]env/.test(code)) offenders.push(`${file}: reads process.env (go through engine/settings/settings.ts)`);
      for (const m of code.matchAll(/\benv\s*(?:\[\s*['"`]([A-Z][A-Z0-9_]*)['"`]\s*\]|\.([A-Z][A-Z0-9_]*)\b)/g)) {
        const name = m[1] ?? m[2]!;
        if (!known.includes(name)) offenders.push(`${file}: reads ${name}, not a known setting`);
        else if (file !== path.join('settings', 'settings.ts')) offenders.push(`${file}: reads ${name} directly (use Settings)`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
