// store/sqlite/sqlite-transaction: the writes of one transaction on the write connection. Every
// write is a single statement (conditional replace and delete check the version in their WHERE),
// so correctness never depends on reading first.

import { CrmError } from '../../kernel/errors.ts';
import type { StoredRecord, StoreTransaction } from '../store-port.ts';
import { isMissingTable, type SqliteConnection } from './sqlite-connection.ts';
import { translateSqliteError } from './sqlite-errors.ts';
import { SqliteReader } from './sqlite-reads.ts';
import { createCollectionTable, indexedPaths, sequencesTable } from './sqlite-schema.ts';
import { quoteName, sql, type Sql } from './sql-fragments.ts';

export class SqliteTransaction extends SqliteReader implements StoreTransaction {
  private finished = false;

  constructor(private readonly writer: SqliteConnection) {
    super(() => {
      if (this.finished) throw new CrmError('INTERNAL', 'The transaction has already finished; use it only inside its work function');
      return this.writer;
    });
  }

  /** Called by the store once the transaction commits or rolls back. */
  finish(): void {
    this.finished = true;
  }

  async insert(collection: string, record: StoredRecord): Promise<void> {
    checkRecord(record);
    const statement = sql(`INSERT INTO ${this.table(collection)} (id, version, revision, doc) VALUES (?, ?, ?, ?)`, [
      record.id,
      record.version,
      record.revision,
      JSON.stringify(record.data),
    ]);
    try {
      this.write(statement);
    } catch (error) {
      // Like MongoDB, the first insert creates the collection.
      if (!isMissingTable(error)) throw error;
      createCollectionTable(this.connection(), collection);
      this.write(statement);
    }
  }

  async insertMany(collection: string, records: readonly StoredRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += insertChunk) {
      const chunk = records.slice(start, start + insertChunk);
      const params: (string | number)[] = [];
      for (const record of chunk) {
        checkRecord(record);
        params.push(record.id, record.version, record.revision, JSON.stringify(record.data));
      }
      // Full chunks share one prepared statement; only the last, shorter one has its own text.
      const statement = sql(`INSERT INTO ${this.table(collection)} (id, version, revision, doc) VALUES ${valueRows(chunk.length)}`, params);
      try {
        this.write(statement);
      } catch (error) {
        if (!isMissingTable(error)) throw error;
        createCollectionTable(this.connection(), collection);
        this.write(statement);
      }
    }
  }

  async replace(collection: string, record: StoredRecord, expectedVersion: number): Promise<boolean> {
    checkRecord(record);
    const statement = sql(`UPDATE ${this.table(collection)} SET version = ?, revision = ?, doc = ? WHERE id = ? AND version = ?`, [
      record.version,
      record.revision,
      JSON.stringify(record.data),
      record.id,
      expectedVersion,
    ]);
    return this.read(false, () => this.write(statement) === 1);
  }

  async delete(collection: string, id: string, expectedVersion?: number): Promise<boolean> {
    const statement =
      expectedVersion === undefined
        ? sql(`DELETE FROM ${this.table(collection)} WHERE id = ?`, [id])
        : sql(`DELETE FROM ${this.table(collection)} WHERE id = ? AND version = ?`, [id, expectedVersion]);
    return this.read(false, () => this.write(statement) === 1);
  }

  async nextSequence(key: string): Promise<number> {
    const row = this.connection().get<{ value: number }>(
      sql(
        `INSERT INTO ${quoteName(sequencesTable)} (name, value) VALUES (?, 1)
         ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
        [key],
      ),
    );
    return row!.value;
  }

  async renameSequence(from: string, to: string): Promise<boolean> {
    if (from === to) return this.connection().get(sql(`SELECT 1 AS found FROM ${quoteName(sequencesTable)} WHERE name = ?`, [from])) !== undefined;
    this.write(sql(`DELETE FROM ${quoteName(sequencesTable)} WHERE name = ?`, [to]));
    return this.write(sql(`UPDATE ${quoteName(sequencesTable)} SET name = ? WHERE name = ?`, [to, from])) === 1;
  }

  /** Runs a write and returns how many rows it changed, with constraint errors translated. */
  private write(statement: Sql): number {
    const connection = this.connection();
    try {
      return connection.run(statement).changes;
    } catch (error) {
      throw translateSqliteError(error, (name) => indexedPaths(connection, name));
    }
  }
}

/** Rows per multi-row INSERT (4 parameters each, well under SQLite's parameter limit). */
const insertChunk = 100;
const rowsText = new Map<number, string>();
function valueRows(count: number): string {
  let text = rowsText.get(count);
  if (text === undefined) {
    text = Array.from({ length: count }, () => '(?, ?, ?, ?)').join(', ');
    rowsText.set(count, text);
  }
  return text;
}

function checkRecord(record: StoredRecord): void {
  if (typeof record.id !== 'string' || record.id === '' || !Number.isInteger(record.version) || !Number.isInteger(record.revision)) {
    throw new CrmError('INTERNAL', 'A stored record needs a non-empty id and integer version and revision');
  }
}
