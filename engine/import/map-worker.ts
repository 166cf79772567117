// import/map-worker: the second core's half of an import pipeline. This thread reads the file
// (read-rows.ts), cuts it into batches and maps every row of each plain target (no `when`, lookup or
// transform: a pure function of the row — value maps, cleansing, the field type's parsing, defaults;
// map-row.ts) while the main thread checks and writes the batch before through the records' one
// write path. Targets that wait for the store or an expression are mapped there, in the batch's
// transaction, as without the pipeline. It never touches the store: the main thread stays the only writer, and everything
// that depends on the store, the caller or the clock (policy, keys, unique fields, duplicates,
// lookups, rules, defaults that read the caller or the clock, history owners) happens there as
// before. A create's defaults, validation and normalization, when they need neither caller nor
// clock, are done here with the entity compiled by the same code (MappedRow.checked). Driven by pipeline-source.ts, which reads and maps the
// first batches itself while this thread starts (under tsx, compiling the engine's modules again
// takes it a second or two) and then tells it where to take over. The thread runs one job after
// another: map-worker-pool.ts keeps it between imports, its code compiled and its model cached.

import { parentPort } from 'node:worker_threads';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { compileEntity, setLinks } from '../compile/compile-entity.ts';
import type { CompiledEntity, CompiledModel } from '../compile/compiled-model.ts';
import { createRecordAjv } from '../compile/record-ajv.ts';
import { callerFreeCreateDefaults } from '../records/compute-values.ts';
import { checkValues, normalizeValues } from '../records/validate-values.ts';
import { systemClock } from '../kernel/clock.ts';
import { CrmError } from '../kernel/errors.ts';
import type { LocalizedText } from '../kernel/i18n.ts';
import { MetadataSet, type MetadataDocument } from '../metadata/metadata-set.ts';
import { compileMapping, parseOptionsOf, plainTarget, type ImportMapping } from './import-mapping.ts';
import { mapRow, MappingMemo, type MappedRow } from './map-row.ts';
import type { RecordValues } from '../records/record-shape.ts';
import { newSourceInfo, readOptionsOf, readRows, type SourceFormat, type SourceRow } from './read-rows.ts';
import type { ReadText } from './read-messages.ts';
import { nextWriterShare, rowsMappedByWorker } from './writer-share.ts';

export interface MapWorkerInput {
  file: string;
  format: SourceFormat;
  delimiter?: string;
  sheet?: string;
  headerRow?: number;
  /** A workbook's number cells written with a decimal comma (read-rows.ts). */
  decimalComma?: boolean;
  mapping: ImportMapping;
  /** The metadata set the main thread's model was compiled from, and its revision. */
  documents: MetadataDocument[];
  revision: number;
  history: boolean;
  maxBatchSize: number;
  /** Batches read ahead of the one the main thread is writing. */
  ahead: number;
  /** A fixed share of each batch's rows left for the writing thread to map (tests); absent, it follows which thread waits. */
  writerShare?: number;
}

/**
 * One batch, sent as JSON text (cheaper to pass and parse than a structured clone of many small
 * objects), and lean, for the writing thread parses it: a row's values as JSON text of their own,
 * parsed there only when asked (a rejected row, a target mapped there); a checked mapping as its
 * checked values and what `values` had otherwise (pipeline-source.ts rebuilds the MappedRow).
 */
export interface MappedBatch {
  rows: WireRow[];
  /** Per target index: each row's mapping (null for an unreadable row or one left to the main thread); null for a target mapped on the main thread. */
  mapped: ((WireMapping | null)[] | null)[];
}

/** A readable row: its line and its values' JSON text; an unreadable row as read. */
export type WireRow = [line: number, values: string] | { line: number; error: ReadText };

/**
 * A mapping the worker checked: `checked`, the given values of `values` that differ there (`given`:
 * normalization changed them), the fields only the defaults set (`defaulted`). Other mappings whole.
 */
export type WireMapping = { checked: RecordValues; given?: RecordValues; defaulted?: string[]; cleared?: string[] } | MappedRow;

function wireMapping(row: MappedRow): WireMapping {
  const checked = row.checked;
  if (!checked) return row;
  let given: RecordValues | undefined;
  let defaulted: string[] | undefined;
  for (const key in checked) {
    if (!(key in row.values)) (defaulted ??= []).push(key);
    else if (checked[key] !== row.values[key]) (given ??= {})[key] = row.values[key];
  }
  for (const key in row.values) if (!(key in checked)) (given ??= {})[key] = row.values[key];
  return { checked, ...(given ? { given } : {}), ...(defaulted ? { defaulted } : {}), ...(row.cleared ? { cleared: row.cleared } : {}) };
}

/** Worker → main. */
export type MapWorkerMessage = { ready: true } | { batch: string } | { done: true; info: ReturnType<typeof newSourceInfo> } | { error: string; text?: LocalizedText };
/**
 * Main → worker: a job to read and map (a kept worker runs one job after another); then where to
 * start (rows at or before `after` are the main thread's: committed by an earlier run or read
 * there), and the first batch's size; then `more` — one more batch may be sent — with whether the
 * writing thread had to wait for the batch it just took.
 */
export type MapWorkerRequest = { job: MapWorkerInput } | { start: { after: number; batchSize: number } } | { more: { waited: boolean } };


/** Rows mapped (and dropped) at most while the worker waits to be told where to start. */
const warmUpRows = 1000;

/** The entities of the last model revision this thread compiled: a kept worker's next job of the same revision skips the compile. */
let compiledRevision: { key: string; set: MetadataSet; entities: Map<string, CompiledEntity> } | undefined;

function compiledModel(input: MapWorkerInput): CompiledModel {
  // The documents too, not the revision alone: cheap beside a compile, and right whoever shares the thread.
  const key = `${input.revision}\u0000${JSON.stringify(input.documents)}`;
  if (compiledRevision?.key !== key) compiledRevision = { key, set: new MetadataSet(input.documents), entities: new Map() };
  const { set, entities } = compiledRevision;
  const links = setLinks(set);
  let ajv: Ajv2020 | undefined;
  for (const target of input.mapping.targets) {
    if (entities.has(target.entity)) continue;
    const definition = set.entity(target.entity);
    if (!definition) throw new Error(`"${target.entity}" is not an entity`);
    entities.set(target.entity, compileEntity(definition, set, () => (ajv ??= createRecordAjv()), undefined, links).compiled);
  }
  return { revision: input.revision, set, entities } as CompiledModel;
}

/** The main thread's requests for the job running now. */
interface JobInbox {
  start(start: { after: number; batchSize: number }): void;
  more(waited: boolean): void;
}

/** Jobs run here so far: after the first, the code is compiled (warm) and the warm-up below is skipped. */
let jobsRun = 0;
/**
 * The writer's share the last job ended with: the next job on this thread starts from it. Starting
 * from 0, a 10,000-row file (five batches) was over before the share had risen to where neither
 * thread waits, and the writing thread idled for a fifth of it.
 */
let learnedShare = 0;

async function run(input: MapWorkerInput, port: NonNullable<typeof parentPort>, listen: (inbox: JobInbox) => void): Promise<void> {
  const model = compiledModel(input);
  const targets = compileMapping(input.mapping, model);
  const memo = new MappingMemo();
  const parseOptions = parseOptionsOf(input.mapping);
  const unused = () => Promise.reject(new Error('a plain target resolves no lookup'));
  // A create's defaults, validation and normalization, done here with the same compiled entity the
  // write path uses, when they need neither caller nor clock (nor, in a history import, the
  // workflow states kept over the initial ones): the writing thread then skips them for the row.
  // Only a valid row is marked; the write path words an invalid one's issues in the job's language.
  const check = (entity: CompiledEntity, row: MappedRow): MappedRow => {
    if (input.history || row.skipped || row.issues.length > 0) return row;
    const defaulted = callerFreeCreateDefaults(entity, row.values);
    if (defaulted && checkValues(entity, defaulted, 'en').length === 0) row.checked = normalizeValues(entity, defaulted);
    return row;
  };

  let credits = input.ahead;
  let wake: (() => void) | undefined;
  let started: ((start: { after: number; batchSize: number }) => void) | undefined;
  let told = false;
  const start = new Promise<{ after: number; batchSize: number }>((resolve) => (started = resolve));
  let share = input.writerShare ?? learnedShare;
  listen({
    start(message) {
      told = true;
      started?.(message);
    },
    more(waited) {
      // Told a batch or two late (`ahead`): the batches mapped meanwhile keep the share they had.
      if (input.writerShare === undefined) share = nextWriterShare(share, waited);
      credits++;
      wake?.();
    },
  });
  port.postMessage({ ready: true } satisfies MapWorkerMessage);
  const mapPlain = (target: (typeof targets)[number], row: { values: Record<string, unknown>; line: number }) =>
    check(target.entity, mapRow({ target, row: row.values, line: row.line, clock: systemClock, parseOptions, resolveLookup: unused, model, historyMode: input.history, memo }) as MappedRow);
  // Until the writing thread says where to start (it reads the message between two of its batches,
  // ~0.1–0.6 s later), the file's first rows are mapped and dropped: the first batch that counts then
  // runs compiled code (cold, it came up to 0.3 s after the writing thread asked for it). Not for a
  // workbook, whose shared strings are read before its first row, nor on a thread kept from an earlier job.
  let warmed = input.format === 'xlsx' || jobsRun > 0 ? warmUpRows : 0;
  jobsRun++;
  for await (const row of warmed < warmUpRows ? readRows({ file: input.file, format: input.format, info: newSourceInfo(), ...readOptionsOf({ ...input, sheet: undefined }) }) : []) {
    if (told || ++warmed > warmUpRows) break;
    if ('error' in row) continue;
    for (const target of targets) if (plainTarget(target)) mapPlain(target, row);
  }
  const { after, batchSize: firstBatchSize } = await start;
  const send = async (rows: SourceRow[]) => {
    const mappedHere = rowsMappedByWorker(rows.length, share);
    const mapped = targets.map((target) => (plainTarget(target) ? rows.map((row, index) => ('error' in row || index >= mappedHere ? null : wireMapping(mapPlain(target, row)))) : null));
    const batch: MappedBatch = { rows: rows.map((row): WireRow => ('error' in row ? row : [row.line, JSON.stringify(row.values)])), mapped };
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    credits--;
    port.postMessage({ batch: JSON.stringify(batch) } satisfies MapWorkerMessage);
  };

  const info = newSourceInfo();
  let batchSize = firstBatchSize;
  let rows: SourceRow[] = [];
  for await (const row of readRows({ file: input.file, format: input.format, info, ...readOptionsOf(input) })) {
    if (row.line <= after) continue;
    rows.push(row);
    if (rows.length >= batchSize) {
      const full = rows;
      rows = [];
      batchSize = Math.min(batchSize * 2, input.maxBatchSize);
      await send(full);
    }
  }
  if (rows.length > 0) await send(rows);
  if (input.writerShare === undefined) learnedShare = share;
  port.postMessage({ done: true, info } satisfies MapWorkerMessage);
}

if (parentPort) {
  const port = parentPort;
  // One job at a time: the main thread sends the next only after this one's `done` (map-worker-pool.ts).
  let inbox: JobInbox | undefined;
  port.on('message', (message: MapWorkerRequest) => {
    if ('job' in message) {
      run(message.job, port, (listening) => (inbox = listening))
        .catch((error: unknown) => {
          // A refusal the reader worded for the user (an encoding, a missing sheet) keeps both languages.
          port.postMessage({ error: error instanceof Error ? error.message : String(error), ...(error instanceof CrmError && error.text !== undefined ? { text: error.text } : {}) } satisfies MapWorkerMessage);
        })
        .finally(() => (inbox = undefined));
    } else if ('start' in message) inbox?.start(message.start);
    else inbox?.more(message.more.waited);
  });
}
