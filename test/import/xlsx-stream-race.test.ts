// exceljs's streaming reader lost zip entries at random under load. unzipper's Parse says 'end' as
// soon as its input is written, while entries it has pushed can still wait in its buffer for a
// consumer that is busy (exceljs parks each sheet in a temporary file, which waits for libuv's
// thread pool); exceljs's iterateStream stopped at that 'end', so the last entries — xl/workbook.xml,
// last in the zip as Excel and exceljs write it — were never read, and a valid workbook was refused
// ("Cannot read properties of undefined (reading 'sheets')"). It failed a CI run: an import wizard's
// dry run ended "failed" instead of reading its three rows. Patched in patches/exceljs+4.4.0.patch.

import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { expect, it } from 'vitest';

const iterateStream = createRequire(import.meta.url)('exceljs/lib/utils/iterate-stream.js') as (stream: Readable) => AsyncGenerator<unknown>;

it('reads what a stream still buffers when it has said "end" before its reader got there', async () => {
  const stream = new Readable({ objectMode: true, read() {} });
  stream.push('first entry');
  const entries = iterateStream(stream);
  expect((await entries.next()).value).toBe('first entry');
  // While the reader holds the first entry, the rest arrive and the stream says it ended (as Parse does on 'finish').
  stream.push('second entry');
  stream.push('xl/workbook.xml');
  stream.emit('end');
  stream.push(null);
  const rest: unknown[] = [];
  for await (const entry of entries) rest.push(entry);
  expect(rest).toEqual(['second entry', 'xl/workbook.xml']);
});

// A stream destroyed without an error says only 'close': the reader ends rather than waiting for ever.
it('ends when the stream is destroyed without an error while the reader waits', { timeout: 10_000 }, async () => {
  const stream = new Readable({ objectMode: true, read() {} });
  stream.push('first entry');
  const entries = iterateStream(stream);
  expect((await entries.next()).value).toBe('first entry');
  const next = entries.next();
  stream.destroy();
  expect(await next).toEqual({ done: true, value: undefined });
});

it('reads every sheet of a workbook when its reader is busy with the first one as the zip ends', async () => {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Read me').addRow(['Export of the old CRM']);
  book.addWorksheet('Accounts').addRows([['Company', 'City'], ['Acme', 'Berlin']]);
  book.addWorksheet('Contacts').addRows([['Name', 'E-mail'], ['Ada', 'ada@acme.test'], ['Bob', 'bob@acme.test']]);
  // The workbook, shared strings and styles first (as some writers order them): exceljs then hands
  // each sheet over as it comes, and the reader below holds the first one while the zip ends.
  const written = await JSZip.loadAsync(await book.xlsx.writeBuffer());
  const first = ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/styles.xml'];
  const names = Object.keys(written.files).filter((name) => !written.files[name]!.dir);
  const reordered = new JSZip();
  for (const name of [...first, ...names.filter((n) => !first.includes(n))]) reordered.file(name, await written.file(name)!.async('uint8array'));
  const bytes = await reordered.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });

  const source = Readable.from([bytes]);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit' });
  const sheets: Record<string, unknown[][]> = {};
  for await (const worksheet of reader) {
    const sheet = worksheet as unknown as AsyncIterable<{ values: unknown[] }> & { name: string };
    const rows: unknown[][] = [];
    for await (const row of sheet) rows.push(row.values.slice(1));
    sheets[sheet.name] = rows;
    // Busy (as an import writing its batch is) until the zip has taken all its input: its 'end' comes now.
    const zip = (source as unknown as { _readableState: { pipes: Writable[] } })._readableState.pipes[0];
    if (zip && !zip.writableFinished) await once(zip, 'finish');
  }
  expect(sheets).toEqual({ 'Read me': [['Export of the old CRM']], Accounts: [['Company', 'City'], ['Acme', 'Berlin']], Contacts: [['Name', 'E-mail'], ['Ada', 'ada@acme.test'], ['Bob', 'bob@acme.test']] });
});

it('a reader that stops early leaves a later error of the stream handled, not thrown at the process', async () => {
  // Parse reads on after its reader has gone (the import stops at its first sheet): a corrupt
  // record after it is emitted as 'error' — with no listener left, an uncaught exception.
  const stream = new Readable({ objectMode: true, read() {} });
  stream.push('xl/worksheets/sheet1.xml');
  stream.push('xl/worksheets/sheet2.xml');
  for await (const entry of iterateStream(stream)) {
    expect(entry).toBe('xl/worksheets/sheet1.xml');
    break;
  }
  expect(() => stream.emit('error', new Error('invalid signature: 0x0'))).not.toThrow();
});
