// store/sqlite/sqlite-connection: one better-sqlite3 connection set up the way the store needs it
// (WAL, synchronous=FULL, a busy timeout, the regexp function) with a cache of prepared statements.

import Database from 'better-sqlite3';
import { compileSafeRegex } from '../../kernel/safe-regex.ts';
import { localDateTime } from '../../kernel/time-zones.ts';
import { regexpFunctionName } from './compile-filter-sql.ts';
import { localTimeFunctionName } from './compile-group-sql.ts';
import type { Sql, SqlValue } from './sql-fragments.ts';

const statementCacheSize = 300;
const regexCacheSize = 200;
export const busyTimeoutMs = 5000;

export class SqliteConnection {
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement<SqlValue[]>>();

  /** `worker`: a read-only connection of an off-loop read worker (store/sqlite/read-pool.ts). */
  constructor(file: string, options: { role: 'writer' | 'reader' | 'worker' }) {
    this.db = new Database(file, options.role === 'worker' ? { readonly: true, fileMustExist: true } : {});
    // WAL lets readers go on while one writer commits; FULL syncs the WAL on every commit, so an
    // acknowledged write survives kill -9 and power loss.
    this.db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (options.role === 'writer') this.db.pragma('journal_mode = WAL');
    if (options.role !== 'worker') {
      this.db.pragma('synchronous = FULL');
      // Deleted and overwritten content is zeroed, not left in free pages: erased personal data must
      // not be recoverable from the file (privacy erasure; see Store.purgeDeleted for the WAL).
      this.db.pragma('secure_delete = ON');
    }
    registerRegexp(this.db);
    // SQLite knows no time zones: datetime buckets ask JavaScript for the local wall-clock time.
    this.db.function(localTimeFunctionName, { deterministic: true }, (value: unknown, zone: unknown) =>
      typeof value === 'string' && typeof zone === 'string' ? localDateTime(value, zone) : null,
    );
  }

  all<Row>(query: Sql): Row[] {
    return this.prepare(query.text).all(...query.params) as Row[];
  }

  get<Row>(query: Sql): Row | undefined {
    return this.prepare(query.text).get(...query.params) as Row | undefined;
  }

  run(query: Sql): Database.RunResult {
    return this.prepare(query.text).run(...query.params);
  }

  exec(text: string): void {
    this.db.exec(text);
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }

  private prepare(text: string): Database.Statement<SqlValue[]> {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare<SqlValue[]>(text);
      if (this.statements.size >= statementCacheSize) this.statements.delete(this.statements.keys().next().value!);
      this.statements.set(text, statement);
    }
    return statement;
  }
}

/** `crm_regexp(pattern, flags, value)`: 1 when value is a string the JavaScript RegExp matches. */
function registerRegexp(db: Database.Database): void {
  const compiled = new Map<string, RegExp>();
  db.function(regexpFunctionName, { deterministic: true }, (pattern: unknown, flags: unknown, value: unknown) => {
    if (typeof value !== 'string' || typeof pattern !== 'string' || typeof flags !== 'string') return 0;
    const key = `${flags}/${pattern}`;
    let regex = compiled.get(key);
    if (regex === undefined) {
      // The linear-time engine where available: a filter pattern cannot run away on a long value.
      regex = compileSafeRegex(pattern, flags);
      if (compiled.size >= regexCacheSize) compiled.delete(compiled.keys().next().value!);
      compiled.set(key, regex);
    }
    return regex.test(value) ? 1 : 0;
  });
}

/** True for SQLite's "no such table" error: reading a collection that was never created. */
export function isMissingTable(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.message.startsWith('no such table');
}
