// settings/: the engine's configuration. This file: every environment variable the engine reads,
// with its type and meaning, read and validated once at start. An unknown CRM_* variable (a typo such as CRM_ADMIN_EMIAL) or a value of
// the wrong shape stops the start with a message naming the variable — never a silent default.
// The one other read of the environment is a signing secret named by metadata (`secretRef`), through
// `environment()`: its name is the metadata's, not the engine's.

import path from 'node:path';
import { trustProxySetting, type TrustProxy } from './trust-proxy.ts';
import { defaultRequestBudgetMs } from '../kernel/request-budget.ts';
import { isCurrencyCode } from '../kernel/money.ts';

export type Environment = Readonly<Record<string, string | undefined>>;

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  mongodbUri: string | undefined;
  smtpUrl: string | undefined;
  smtpFrom: string;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  secureCookies: boolean;
  trustProxy: TrustProxy;
  templateDirs: string[];
  mailListen: { host: string; port: number } | undefined;
  clockFile: string | undefined;
  jobLeaseMs: number | undefined;
  retryBackoffMs: number | undefined;
  schedulerIntervalMs: number | undefined;
  timeZone: string;
  /** The organisation's currency (ISO 4217): what an amount whose field names no currency is in. */
  currency: string | undefined;
  token: string | undefined;
  logLevel: LogLevel;
  metricsToken: string | undefined;
  workers: number;
  shutdownTimeoutMs: number;
  requestBudgetMs: number;
  maxFileBytes: number;
  /** Where erasures are also written, outside the data folder (privacy/erasure-ledger.ts). */
  erasureLog: string | undefined;
}

export interface SettingSpec {
  name: string;
  /** As shown in the README's table. */
  type: string;
  default: string;
  meaning: string;
}

/** Thrown for an unknown CRM_* variable or a malformed value; the message names the variable. */
export class SettingsError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'SettingsError';
  }
}

function integer(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) throw new SettingsError(name, `expected a whole number from ${min} to ${max}, not "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new SettingsError(name, `expected a whole number from ${min} to ${max}, not ${raw}`);
  return n;
}

function listenAddress(name: string, raw: string): { host: string; port: number } {
  const match = /^(.+):(\d{1,5})$/.exec(raw.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) throw new SettingsError(name, `expected host:port (e.g. 0.0.0.0:2525), not "${raw}"`);
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

function timeZone(name: string, raw: string): string {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: raw }).resolvedOptions().timeZone;
  } catch {
    throw new SettingsError(name, `expected an IANA time zone such as Europe/Berlin or Asia/Shanghai, not "${raw}"`);
  }
}

// Upper case only, as metadata writes a field's `currency`: "eur" is refused, not corrected.
function currencyCode(name: string, raw: string): string {
  if (!/^[A-Z]{3}$/.test(raw) || !isCurrencyCode(raw)) throw new SettingsError(name, `expected an ISO 4217 currency code in upper case such as EUR or CNY, not "${raw}"`);
  return raw;
}

function url(name: string, raw: string, schemes: string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new SettingsError(name, `expected a URL (${schemes.join(', ')}), not a malformed value`);
  }
  if (!schemes.includes(parsed.protocol.replace(/:$/, ''))) throw new SettingsError(name, `expected a ${schemes.map((s) => `${s}://`).join(' or ')} URL, not ${parsed.protocol}//…`);
  return raw;
}

type Parser = (name: string, raw: string) => unknown;

interface Definition extends SettingSpec {
  key: keyof Settings;
  parse: Parser;
  /** The value when unset or empty. */
  fallback: unknown;
}

const text: Parser = (_name, raw) => raw;
const ms = (min: number): Parser => (name, raw) => integer(name, raw, min, 2_147_483_647);

const definitions: Definition[] = [
  { name: 'PORT', key: 'port', type: 'integer 0–65535', default: '3000', meaning: 'HTTP port (0: any free port)', parse: (n, r) => integer(n, r, 0, 65535), fallback: 3000 },
  { name: 'HOST', key: 'host', type: 'address', default: '0.0.0.0', meaning: 'address to listen on', parse: text, fallback: '0.0.0.0' },
  { name: 'DATA_DIR', key: 'dataDir', type: 'path', default: '`./data`', meaning: "the embedded store's folder (`crm.db`, SQLite in WAL mode, `synchronous=FULL`), uploads and imports", parse: text, fallback: './data' },
  { name: 'MONGODB_URI', key: 'mongodbUri', type: 'URL', default: '—', meaning: 'when set, records and metadata live in MongoDB instead (see Storage)', parse: (n, r) => url(n, r, ['mongodb', 'mongodb+srv']), fallback: undefined },
  { name: 'SMTP_URL', key: 'smtpUrl', type: 'URL', default: '—', meaning: 'outgoing e-mail (`smtp://user:pass@host:587`, `smtps://…`)', parse: (n, r) => url(n, r, ['smtp', 'smtps']), fallback: undefined },
  { name: 'SMTP_FROM', key: 'smtpFrom', type: 'text', default: '`CRM <crm@localhost>`', meaning: 'sender of outgoing e-mail', parse: text, fallback: 'CRM <crm@localhost>' },
  { name: 'CRM_ADMIN_EMAIL', key: 'adminEmail', type: 'e-mail', default: '—', meaning: 'with `CRM_ADMIN_PASSWORD`: the first administrator, created at start when no user exists', parse: (n, r) => { if (!/^[^@\s]+@[^@\s]+$/.test(r)) throw new SettingsError(n, 'expected an e-mail address'); return r; }, fallback: undefined },
  { name: 'CRM_ADMIN_PASSWORD', key: 'adminPassword', type: 'text', default: '—', meaning: 'the first administrator\'s password (a weak one is refused and a one-time setup link is logged instead)', parse: text, fallback: undefined },
  { name: 'CRM_SECURE_COOKIES', key: 'secureCookies', type: '`0` or `1`', default: '`0`', meaning: '`1` marks the session cookie `Secure` (it is anyway when the request came over TLS)', parse: (n, r) => { if (r !== '0' && r !== '1') throw new SettingsError(n, `expected 0 or 1, not "${r}"`); return r === '1'; }, fallback: false },
  { name: 'CRM_TRUST_PROXY', key: 'trustProxy', type: 'proxy list', default: 'none', meaning: "which reverse proxies' `X-Forwarded-For` gives the client address: a hop count (`1`), or addresses, subnets and `loopback`, `linklocal`, `uniquelocal` (comma-separated); `true` trusts any (only if the proxy overwrites the header)", parse: (_n, r) => trustProxySetting(r), fallback: false },
  { name: 'CRM_TEMPLATE_DIRS', key: 'templateDirs', type: 'path list', default: '—', meaning: 'more folders of bundled templates besides `industry-templates/` (separated by `' + path.delimiter + '`)', parse: (_n, r) => r.split(path.delimiter).filter(Boolean).map((p) => path.resolve(p)), fallback: [] },
  { name: 'CRM_MAIL_LISTEN', key: 'mailListen', type: 'host:port', default: '—', meaning: 'inbound SMTP listener for mail channels (e.g. `127.0.0.1:2525`)', parse: listenAddress, fallback: undefined },
  { name: 'CRM_CLOCK_FILE', key: 'clockFile', type: 'path', default: '—', meaning: 'a file holding one ISO timestamp that is the server\'s time (tests of several processes only)', parse: text, fallback: undefined },
  { name: 'CRM_JOB_LEASE_MS', key: 'jobLeaseMs', type: 'milliseconds ≥ 1', default: '300000', meaning: "how long a process holds a job it runs; a dead holder's job is taken over after it", parse: ms(1), fallback: undefined },
  { name: 'CRM_RETRY_BACKOFF_MS', key: 'retryBackoffMs', type: 'milliseconds ≥ 1', default: '30000', meaning: 'first retry delay of failed jobs and deliveries (doubling up to an hour)', parse: ms(1), fallback: undefined },
  { name: 'CRM_SCHEDULER_INTERVAL_MS', key: 'schedulerIntervalMs', type: 'milliseconds', default: '5000', meaning: 'how often the scheduler runs due jobs (`0` turns the timer off)', parse: ms(0), fallback: undefined },
  { name: 'CRM_TIME_ZONE', key: 'timeZone', type: 'IANA zone', default: '`UTC`', meaning: 'the organisation\'s zone: what "today" is (`$today()` in expressions, `$today` in saved filters), date buckets, dashboard date ranges, analytics schedules and the daily retention run', parse: timeZone, fallback: 'UTC' },
  { name: 'CRM_CURRENCY', key: 'currency', type: 'ISO 4217 code', default: '—', meaning: "the organisation's currency: amounts of currency fields (and formulas and rollups of them) that name none are written in it in the studio and in readable exports; unset, such amounts read as plain numbers", parse: currencyCode, fallback: undefined },
  { name: 'CRM_TOKEN', key: 'token', type: 'text', default: '—', meaning: 'an API token for `crm sdk` (the command line only)', parse: text, fallback: undefined },
  { name: 'CRM_LOG_LEVEL', key: 'logLevel', type: logLevels.join(', '), default: '`info`', meaning: 'the least severe level written to the JSON log on stdout', parse: (n, r) => { if (!(logLevels as readonly string[]).includes(r)) throw new SettingsError(n, `expected one of ${logLevels.join(', ')}, not "${r}"`); return r; }, fallback: 'info' },
  { name: 'CRM_METRICS_TOKEN', key: 'metricsToken', type: 'text, ≥ 16 characters', default: '—', meaning: 'a bearer token that may read `GET /api/metrics` (administrators always may)', parse: (n, r) => { if (r.length < 16) throw new SettingsError(n, 'expected at least 16 characters'); return r; }, fallback: undefined },
  { name: 'CRM_WORKERS', key: 'workers', type: 'integer 1–64', default: '1', meaning: 'server processes behind the one port (node cluster); see Operate', parse: (n, r) => integer(n, r, 1, 64), fallback: 1 },
  { name: 'CRM_REQUEST_BUDGET_MS', key: 'requestBudgetMs', type: 'milliseconds ≥ 1', default: '30000', meaning: "how long one request's off-loop reads may take, counted from its arrival; past it they are cancelled and the request answers 503 `QUERY_TIMEOUT` (see \"Slow reads run off the event loop\")", parse: ms(1), fallback: defaultRequestBudgetMs },
  { name: 'CRM_MAX_FILE_BYTES', key: 'maxFileBytes', type: 'bytes ≥ 1', default: '26214400', meaning: 'the largest file a `file` field accepts (a field\'s `maxSize` may only lower it); a larger upload is refused with 413 while it streams', parse: (n, r) => integer(n, r, 1, 10_737_418_240), fallback: 25 * 1024 * 1024 },
  { name: 'CRM_ERASURE_LOG', key: 'erasureLog', type: 'path', default: '—', meaning: 'a file, kept with the backups and not in the data folder, where every erasure is also written (a salted digest of the person\'s identifier and the ids of the records erased, never a value); at start, erasures this data predates — a backup restored — are applied again (see Privacy)', parse: (_n, r) => path.resolve(r), fallback: undefined },
  { name: 'CRM_SHUTDOWN_TIMEOUT_MS', key: 'shutdownTimeoutMs', type: 'milliseconds ≥ 1', default: '10000', meaning: 'on SIGTERM, how long requests in flight may take before their connections are closed', parse: ms(1), fallback: 10_000 },
];

/** Every setting the engine reads, in the README's order. */
export const settingSpecs: readonly SettingSpec[] = definitions.map(({ name, type, default: d, meaning }) => ({ name, type, default: d, meaning }));
const known = new Set(definitions.map((d) => d.name));

/** The process environment: for settings (through readSettings) and secrets named by metadata. */
export function environment(): Environment {
  return process.env;
}

/** The POSIX locale variables, strongest first: the terminal's language, which the CLI speaks — not CRM settings. */
export const posixLocaleVariables = ['LC_ALL', 'LC_MESSAGES', 'LANG'] as const;

/** The language of the terminal: zh_CN.UTF-8 reads Chinese, anything else English. */
export function terminalLocale(env: Environment = environment()): 'en' | 'zh' {
  const lang = posixLocaleVariables.map((name) => env[name]).find((value) => value) ?? '';
  return /^zh/i.test(lang) ? 'zh' : 'en';
}

/**
 * Reads and validates every setting; throws a SettingsError naming the first wrong variable. An
 * empty value counts as unset.
 */
export function readSettings(env: Environment = environment()): Settings {
  const unknown = Object.keys(env).filter((name) => name.startsWith('CRM_') && !known.has(name)).sort();
  if (unknown.length > 0) {
    throw new SettingsError(unknown[0]!, `unknown setting${unknown.length > 1 ? ` (also ${unknown.slice(1).join(', ')})` : ''}; known CRM_* settings: ${[...known].filter((n) => n.startsWith('CRM_')).join(', ')}`);
  }
  const settings: Record<string, unknown> = {};
  for (const d of definitions) {
    const raw = env[d.name];
    settings[d.key] = raw === undefined || raw === '' ? d.fallback : d.parse(d.name, raw);
  }
  return settings as unknown as Settings;
}
