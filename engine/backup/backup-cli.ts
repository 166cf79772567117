// `crm backup <archive>` (while a server runs on DATA_DIR, or not) and `crm restore <archive>` into
// an empty DATA_DIR. Neither opens the engine: backup reads the database file with SQLite's online
// backup API; restore only unpacks and checks.

import type { Command } from 'commander';
import path from 'node:path';
import { readText } from '../kernel/detail-text.ts';
import { isCrmError } from '../kernel/errors.ts';
import { terminalLocale } from '../settings/settings.ts';
import { createBackup, restoreBackup } from './backup-archive.ts';

/** The error in the terminal's language (LANG), each detail at its pointer. */
function fail(error: unknown): void {
  const locale = terminalLocale();
  console.error(isCrmError(error) ? `${error.localizedMessage(locale)}${error.details.map((d) => `\n  ${d.path}: ${d.text ? readText(d.text, locale) : d.message}`).join('')}` : (error as Error).message);
  process.exitCode = 1;
}

export function registerBackupCommands(program: Command, dataDir: () => string, engineVersion: string): void {
  program
    .command('backup <archive>')
    .description('write one .tar.gz of DATA_DIR (database via SQLite online backup, files, manifest with checksums); safe while the server runs')
    .action(async (archive: string) => {
      try {
        const manifest = await createBackup({ dataDir: dataDir(), archive: path.resolve(archive), engineVersion, now: new Date() });
        const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
        console.log(`backup ${path.resolve(archive)}: ${manifest.entries.length} file(s), ${Object.keys(manifest.tables).length} tables, ${rows} rows`);
      } catch (error) {
        fail(error);
      }
    });
  program
    .command('restore <archive>')
    .description('restore a backup into DATA_DIR, which must be empty or missing')
    .action(async (archive: string) => {
      try {
        const manifest = await restoreBackup({ archive: path.resolve(archive), dataDir: path.resolve(dataDir()) });
        console.log(`restored ${manifest.entries.length} file(s) of the backup of ${manifest.createdAt} into ${path.resolve(dataDir())}`);
      } catch (error) {
        fail(error);
      }
    });
}
