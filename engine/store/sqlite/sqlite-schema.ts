// store/sqlite/sqlite-schema: tables and the expression indexes metadata asks for. Every index
// this adapter creates is written into `_store_indexes` with the fields it covers, so sync only
// ever drops its own indexes and a unique violation can name the fields that collided.

import type { IndexSpec } from '../store-port.ts';
import { assertIndexSpecs, managedIndexName, systemColumnOf } from '../store-names.ts';
import { bucketExpression } from './compile-group-sql.ts';
import type { SqliteConnection } from './sqlite-connection.ts';
import { quoteName, sql, valueExpression, type Sql } from './sql-fragments.ts';
import { tableNameOf } from './table-names.ts';

export const sequencesTable = '_sequences';
export const indexRegistryTable = '_store_indexes';

/** Tables the adapter itself needs; none can clash with a collection's `c_`/`s_` table. */
export function createStoreTables(connection: SqliteConnection): void {
  connection.exec(`
    CREATE TABLE IF NOT EXISTS ${quoteName(sequencesTable)} (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS ${quoteName(indexRegistryTable)} (
      name TEXT PRIMARY KEY NOT NULL, collection TEXT NOT NULL, spec_name TEXT NOT NULL, fields TEXT NOT NULL);
  `);
}

export function createCollectionTable(connection: SqliteConnection, collection: string): void {
  connection.exec(
    `CREATE TABLE IF NOT EXISTS ${quoteName(tableNameOf(collection))} (
      id TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL, revision INTEGER NOT NULL, doc TEXT NOT NULL)`,
  );
}

/** Creates the table if needed, creates missing indexes and drops managed ones no longer asked for. */
export function syncIndexes(connection: SqliteConnection, collection: string, asked: readonly IndexSpec[]): void {
  assertIndexSpecs(asked);
  const indexes = indexableHere(asked);
  createCollectionTable(connection, collection);
  const table = tableNameOf(collection);
  const wanted = new Map(indexes.map((spec) => [managedIndexName(`ix_${table}__`, spec), spec]));
  const registered = connection.all<{ name: string }>(sql(`SELECT name FROM ${quoteName(indexRegistryTable)} WHERE collection = ?`, [collection]));
  for (const { name } of registered) {
    if (wanted.has(name)) continue;
    connection.exec(`DROP INDEX IF EXISTS ${quoteName(name)}`);
    connection.run(sql(`DELETE FROM ${quoteName(indexRegistryTable)} WHERE name = ?`, [name]));
  }
  const present = new Set(existingIndexNames(connection, table));
  for (const [name, spec] of wanted) {
    if (present.has(name)) continue;
    // Registered first: if the index cannot be built because of duplicates, the error can still name the fields.
    connection.run(
      sql(`INSERT OR REPLACE INTO ${quoteName(indexRegistryTable)} (name, collection, spec_name, fields) VALUES (?, ?, ?, ?)`, [
        name,
        collection,
        spec.name,
        JSON.stringify(spec.keys.map((key) => key.path)),
      ]),
    );
    connection.exec(createIndexStatement(name, table, spec));
  }
}

/**
 * The statements that would create the indexes asked for that are missing (each registered, then
 * built) — for building them off the main thread first; syncIndexes then finds them present.
 */
export function missingIndexStatements(connection: SqliteConnection, collection: string, asked: readonly IndexSpec[]): Sql[] {
  assertIndexSpecs(asked);
  const indexes = indexableHere(asked);
  const table = tableNameOf(collection);
  const present = new Set(existingIndexNames(connection, table));
  if (present.size === 0) return []; // no table yet (it has at least its primary key's index): nothing large to index
  return indexes.flatMap((spec) => {
    const name = managedIndexName(`ix_${table}__`, spec);
    if (present.has(name)) return [];
    return [
      sql(`INSERT OR REPLACE INTO ${quoteName(indexRegistryTable)} (name, collection, spec_name, fields) VALUES (?, ?, ?, ?)`, [name, collection, spec.name, JSON.stringify(spec.keys.map((key) => key.path))]),
      sql(createIndexStatement(name, table, spec)),
    ];
  });
}

/** An index on a list's elements serves nothing here (json_each cannot use an index): not kept. */
function indexableHere(indexes: readonly IndexSpec[]): IndexSpec[] {
  return indexes.filter((spec) => spec.elements !== true);
}

function createIndexStatement(name: string, table: string, spec: IndexSpec): string {
  const terms = spec.keys.map((key) => `${key.bucket ? bucketExpression(valueExpression(key.path), key.bucket) : valueExpression(key.path)} ${key.direction === 1 ? 'ASC' : 'DESC'}`);
  // Every find ends its ORDER BY with `id`; ending a non-unique index with id lets SQLite read
  // rows in final order straight from the index instead of sorting them again.
  if (!spec.unique && !spec.keys.some((key) => systemColumnOf(key.path) === 'id')) terms.push('id ASC');
  return `CREATE ${spec.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quoteName(name)} ON ${quoteName(table)} (${terms.join(', ')})`;
}

function existingIndexNames(connection: SqliteConnection, table: string): string[] {
  return connection.all<{ name: string }>(sql(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?`, [table])).map((row) => row.name);
}

/** Spec names of the managed indexes that exist on the collection's table. */
export function listManagedIndexes(connection: SqliteConnection, collection: string): string[] {
  const present = new Set(existingIndexNames(connection, tableNameOf(collection)));
  return connection
    .all<{ name: string; spec_name: string }>(sql(`SELECT name, spec_name FROM ${quoteName(indexRegistryTable)} WHERE collection = ? ORDER BY spec_name`, [collection]))
    .filter((row) => present.has(row.name))
    .map((row) => row.spec_name);
}

/** The document paths an index covers, when it is one of ours. */
export function indexedPaths(connection: SqliteConnection, indexName: string): string[][] | undefined {
  const row = connection.get<{ fields: string }>(sql(`SELECT fields FROM ${quoteName(indexRegistryTable)} WHERE name = ?`, [indexName]));
  return row === undefined ? undefined : (JSON.parse(row.fields) as string[][]);
}

export function dropCollectionTable(connection: SqliteConnection, collection: string): void {
  connection.exec(`DROP TABLE IF EXISTS ${quoteName(tableNameOf(collection))}`);
  connection.run(sql(`DELETE FROM ${quoteName(indexRegistryTable)} WHERE collection = ?`, [collection]));
}

export function listCollectionTables(connection: SqliteConnection): string[] {
  return connection.all<{ name: string }>(sql(`SELECT name FROM sqlite_master WHERE type = 'table'`)).map((row) => row.name);
}
