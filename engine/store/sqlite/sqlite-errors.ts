// store/sqlite/sqlite-errors: SQLite's errors in the engine's vocabulary — a unique constraint
// becomes UNIQUE_VIOLATION naming the fields, a database locked for too long UNAVAILABLE.

import Database from 'better-sqlite3';
import { CrmError } from '../../kernel/errors.ts';
import { uniqueViolation } from '../store-errors.ts';

/** Translates what a write threw; `pathsOfIndex` finds the fields of one of our indexes by name. */
export function translateSqliteError(error: unknown, pathsOfIndex: (indexName: string) => string[][] | undefined): unknown {
  if (!(error instanceof Database.SqliteError)) return error;
  if (error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return uniqueViolation([['id']]);
  }
  if (error.code === 'SQLITE_CONSTRAINT_UNIQUE') {
    // Expression indexes report "UNIQUE constraint failed: index '<name>'".
    const indexName = /index '([^']+)'/.exec(error.message)?.[1];
    const paths = indexName === undefined ? undefined : pathsOfIndex(indexName);
    return uniqueViolation(paths ?? (/\.id$/.test(error.message) ? [['id']] : []));
  }
  if (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED') {
    return new CrmError('UNAVAILABLE', 'The database is busy; try again');
  }
  return error;
}
