// The OpenAPI operations of /api/import: uploads, mappings, suggestions, jobs with their report,
// rejected rows as CSV, resume and undo (the shapes the studio's import wizard is built on).

import type { JsonSchema } from '../fields/field-type.ts';
import { dateOrders, decimalSeparators } from '../fields/parse-text.ts';
import { maxHeaderRow } from './import-mapping.ts';
import {
  adminOnly, type ApiFragment, booleanFlag, closedObjectOf, errorResponses, itemsOf, jsonRequestBody, jsonResponse, objectOf, pageLimit, pathParameter, queryParameter, sharedSchemaRef, stringSchema,
} from '../http/openapi-fragment.ts';

const tags = ['import'];
const id = pathParameter('id', 'The import job id');
const integer: JsonSchema = { type: 'integer' };
/** Any JSON object (a free-form object is `Record<string, never>` to openapi-typescript without it). */
const anyObject: JsonSchema = { type: 'object', additionalProperties: {} };
const label: JsonSchema = { oneOf: [stringSchema, objectOf({ en: stringSchema, zh: stringSchema })], description: 'One text, or one per language' };
const counts = sharedSchemaRef('crm.ImportCounts');
const job = sharedSchemaRef('crm.ImportJob');
const mapping = sharedSchemaRef('crm.ImportMapping');
const mode: JsonSchema = { type: 'string', enum: ['dryRun', 'allOrNothing', 'validOnly'] };
const target: JsonSchema = objectOf({
  entity: stringSchema,
  key: { type: 'array', items: stringSchema, description: 'Fields identifying the record to update (external id, unique field or business key)' },
  columns: { type: 'object', additionalProperties: stringSchema, description: 'field → column' },
  transforms: { type: 'object', additionalProperties: stringSchema, description: 'field → JSONata over the row ($row: line number)' },
  values: { type: 'object', additionalProperties: { type: 'object', additionalProperties: stringSchema }, description: 'field → { source text → value }' },
  defaults: { ...anyObject, description: 'field → value when the source has none' },
  lookups: { type: 'object', additionalProperties: objectOf({ by: stringSchema }, ['by']), description: 'lookup field → the target field its (cleansed) key is compared with' },
  when: { ...stringSchema, description: 'JSONata: only rows where true make this target' },
  history: { ...sharedSchemaRef('crm.ImportHistoryColumns'), description: 'History mode: the columns holding the old system\u2019s creation and closing dates and owner' },
  blankCells: { type: 'string', enum: ['keep', 'clear'], description: 'An empty cell in a mapped column of a row that updates a record: keep the field as it is (the default) or clear it. Never a key field; a create leaves the field out either way' },
}, ['entity']);

export const importApi: ApiFragment = {
  schemas: {
    'crm.ImportHistoryColumns': objectOf({ createdAt: stringSchema, closedAt: stringSchema, owner: stringSchema }),
    'crm.ImportTarget': target,
    'crm.ImportMapping': objectOf({ name: stringSchema, label, format: { type: 'string', enum: ['csv', 'jsonl', 'xlsx'] }, delimiter: stringSchema, sheet: stringSchema, headerRow: { ...integer, minimum: 1, maximum: maxHeaderRow, description: 'The line (a workbook\u2019s row) holding the column names, where a title above it looks like a header (as wide as the table); absent: found below any title lines' }, timeZone: stringSchema, dateOrder: { type: 'string', enum: [...dateOrders] }, decimalSeparator: { type: 'string', enum: [...decimalSeparators] }, targets: { type: 'array', items: sharedSchemaRef('crm.ImportTarget') } }, ['name', 'targets']),
    'crm.ImportMappingSummary': objectOf({ name: stringSchema, source: { ...stringSchema, description: '`saved`, or `template:<name>` for a mapping a template ships' }, label, targets: { type: 'array', items: stringSchema, description: 'The entities it imports into' } }, ['name', 'source', 'targets']),
    'crm.ImportUpload': objectOf({ upload: stringSchema, name: stringSchema, bytes: integer }, ['upload', 'name', 'bytes']),
    'crm.ImportSuggestion': objectOf({
      columns: { type: 'array', items: stringSchema },
      sample: { ...anyObject, description: 'The first readable row' },
      suggested: { type: 'object', additionalProperties: stringSchema, description: 'field → column (fields only: an id column is in `mapping`, as the upsert key)' },
      mapping: { type: 'object', description: 'The mapping suggested, without its name: the target (columns, `key: ["id"]` when the file has an id column, lookups by the target\u2019s title) and, for a file with an id column (an export), the organisation\u2019s time zone when a datetime column is read; a workbook\u2019s sheet read', properties: { sheet: stringSchema, headerRow: integer, timeZone: stringSchema, targets: { type: 'array', items: sharedSchemaRef('crm.ImportTarget') } }, required: ['targets'], additionalProperties: false },
      unmapped: { type: 'object', additionalProperties: stringSchema, description: 'column → why it is not imported (a system column, a computed field, text that names no single value), in the caller\u2019s language' },
      preview: { type: 'array', description: 'The first rows as read (or why one could not be read)', items: objectOf({ line: integer, values: anyObject, error: stringSchema }, ['line']) },
      values: { type: 'object', additionalProperties: { type: 'array', items: stringSchema }, description: 'column → distinct values among the rows scanned (at most 50 each): the source of picklist value maps' },
      scanned: { ...integer, description: 'Rows read for the distinct values (at most 2,000)' },
      headerLine: { ...integer, description: 'The line (a workbook\u2019s row) the header was read from: below any title rows above the table, or the one asked for' },
      top: { type: 'array', description: 'The first rows as read before the header was chosen (the header among them, at most 10 or down to the header asked for), each with its first 12 cells cut to 60 characters: for a person to choose another header row', items: objectOf({ line: integer, cells: { type: 'array', items: stringSchema } }, ['line', 'cells']) },
      skippedRows: { type: 'array', description: 'Rows among those scanned that an import leaves out — a workbook\u2019s totals rows (numbers that are formulas aggregating their own column) and notes below the last — with why, in the caller\u2019s language', items: objectOf({ line: integer, reason: stringSchema }, ['line', 'reason']) },
      sheets: { type: 'array', items: stringSchema, description: 'A workbook (.xlsx): every sheet\u2019s name in workbook order (absent for other files)' },
      sheet: { ...stringSchema, description: 'A workbook: the sheet read — the one asked for, else the first with rows below a header' },
    }, ['columns', 'suggested', 'mapping', 'unmapped', 'preview', 'values', 'scanned']),
    'crm.ImportCounts': objectOf({
      ...Object.fromEntries(['rows', 'created', 'updated', 'unchanged', 'rejected', 'skipped'].map((k) => [k, integer])),
      totals: { ...integer, description: 'A workbook\u2019s totals rows left out — rows whose numbers are formulas aggregating their own column above (=SUM(C2:C40), =SUBTOTAL(9,…)) — and the one-cell notes below the last; not in `rows` nor `rejected`, listed in `skippedRows`. Set once the file is read' },
      blank: { ...integer, description: 'Blank rows between the header and the last data row, left out; set once the file is read' },
    }, ['rows', 'created', 'updated', 'unchanged', 'rejected', 'skipped']),
    'crm.ImportJob': objectOf({
      id: stringSchema, status: { type: 'string', enum: ['running', 'done', 'refused', 'failed', 'cancelled', 'undoing', 'undone'], description: '`undoing`: its undo runs (see `undo`); an undo interrupted by a restart goes on when the server starts' }, mode, phase: { type: 'string', enum: ['check', 'write'], description: 'allOrNothing checks every row first, then writes' },
      history: { type: 'boolean' }, by: { ...stringSchema, description: 'The id of whoever started it' }, file: objectOf({ name: stringSchema, format: { type: 'string', enum: ['csv', 'jsonl', 'xlsx'] }, bytes: integer, removed: { type: 'string', format: 'date-time', description: 'When the upload was deleted: a record a job of that upload created or updated was erased' }, removalFailed: { type: 'string', format: 'date-time', description: 'When such an erasure could not delete the upload (the file system refused): for an admin to remove by hand' } }, ['name', 'format', 'bytes']), mapping,
      checkpoint: { ...integer, description: 'Last source line whose batch committed: a resumed job starts after it' },
      locale: { type: 'string', enum: ['en', 'zh'], description: 'The language of whoever started it (its reasons, notices and failure are answered in the reader\u2019s)' },
      counts,
      targets: { type: 'array', description: 'Per target of the mapping, in its order: the records it created, updated and left unchanged (or would), and the rows its `when` skipped', items: objectOf({ entity: stringSchema, created: integer, updated: integer, unchanged: integer, skipped: integer }, ['entity', 'created', 'updated', 'unchanged', 'skipped']) },
      samples: { type: 'array', description: 'A few rows that would be (or were) created or updated', items: objectOf({ line: integer, entity: stringSchema, action: { type: 'string', enum: ['create', 'update', 'unchanged'] }, id: stringSchema }, ['line', 'entity', 'action']) },
      source: objectOf({ columns: { type: 'array', items: stringSchema }, lineEndings: objectOf({ crlf: integer, lf: integer, cr: integer }, ['crlf', 'lf', 'cr']), lastLineUnterminated: { type: 'boolean' }, encoding: { ...stringSchema, description: 'The text encoding read when it is not UTF-8 (UTF-16, GB18030)' }, sheet: { ...stringSchema, description: 'The workbook sheet read (.xlsx)' }, headerLine: { ...integer, description: 'The line (a workbook\u2019s row) the header was read from: below title rows, not the first' } }, ['columns', 'lineEndings', 'lastLineUnterminated']),
      notices: { type: 'array', items: stringSchema, description: 'Remarks on the file (mixed line endings, a last line cut short), in the caller\u2019s language' },
      skippedRows: { type: 'array', description: 'Rows left out as no data (a workbook\u2019s totals rows: the first thousand), each with why, in the caller\u2019s language — "a totals row (formula =SUM(C2:C40) in column C)". Set once the file is read', items: objectOf({ line: integer, reason: stringSchema }, ['line', 'reason']) },
      startedAt: stringSchema, finishedAt: stringSchema, error: { ...stringSchema, description: 'Why the job failed, in the caller\u2019s language' },
      undo: { ...sharedSchemaRef('crm.ImportUndo'), description: 'Its undo, running (status `undoing`) or ended' },
      cancelled: { ...objectOf({ at: stringSchema, by: stringSchema }, ['at', 'by']), description: 'When and by whom it was stopped before its end (what committed before stays; undo takes it back)' },
    }, ['id', 'status', 'mode', 'phase', 'history', 'by', 'file', 'mapping', 'checkpoint', 'locale', 'counts', 'samples', 'notices', 'startedAt']),
    'crm.ImportRejectedRow': objectOf({
      line: { ...integer, description: 'The line in the file' },
      issues: { type: 'array', items: objectOf({ column: stringSchema, field: stringSchema, value: stringSchema, reason: { ...stringSchema, description: 'In the caller\u2019s language, whoever started the job' }, target: { ...integer, description: 'With several targets: the index of the one whose mapping or write refused the row' } }, ['reason']) },
      row: { ...anyObject, description: 'The row as read' },
    }, ['line', 'issues']),
    'crm.ImportUndo': objectOf({
      at: { ...stringSchema, description: 'When it was asked for' },
      by: { ...stringSchema, description: 'The id of whoever asked' },
      from: { type: 'string', enum: ['running', 'done', 'refused', 'failed', 'cancelled'], description: 'The job\u2019s status before its undo: given back if the undo fails' },
      total: { ...integer, description: 'The records the import created or updated (absent until counted)' },
      done: { ...integer, description: 'Records dealt with so far (deleted, restored, missing, changed since or refused)' },
      deleted: integer, restored: integer,
      missing: { ...integer, description: 'Records already gone' },
      changedSince: { ...integer, description: 'Records changed since the import: left as they are' },
      refused: { ...integer, description: 'Records the store refused to undo (one now referenced under a restrict rule, say)' },
      changedSinceRecords: { type: 'array', description: 'The first 20 records changed since (GET …/undo lists every one)', items: objectOf({ entity: stringSchema, id: stringSchema, version: integer, importedVersion: integer }, ['entity', 'id', 'version', 'importedVersion']) },
      refusedRecords: { type: 'array', description: 'The first 20 records refused, with why in the caller\u2019s language (GET …/undo lists every one)', items: objectOf({ entity: stringSchema, id: stringSchema, reason: stringSchema }, ['entity', 'id', 'reason']) },
      finishedAt: { ...stringSchema, description: 'When it ended (status `undone`)' },
      error: { ...stringSchema, description: 'Why its last attempt stopped before its end, in the caller\u2019s language: the job has its status back, and the undo can be asked again (it goes on after what committed)' },
    }, ['at', 'by', 'deleted', 'restored', 'changedSince']),
    'crm.ImportUndoReport': objectOf({
      dryRun: { type: 'boolean' }, deleted: integer, restored: integer,
      changedSince: { type: 'array', description: 'Records changed since the import: left as they are', items: objectOf({ entity: stringSchema, id: stringSchema, version: integer, importedVersion: integer }, ['entity', 'id', 'version', 'importedVersion']) },
      missing: { ...integer, description: 'Records already gone' },
      refused: { type: 'array', description: 'Changes the store refused to undo', items: objectOf({ entity: stringSchema, id: stringSchema, reason: stringSchema }, ['entity', 'id', 'reason']) },
    }, ['dryRun', 'deleted', 'restored', 'changedSince', 'missing', 'refused']),
  },
  paths: {
    '/api/export/{entity}': {
      get: {
        operationId: 'exportRecords',
        summary: 'Export the records of a list (same filter, sort and view as GET /api/data/{entity}; only what the caller may read) as CSV, XLSX or JSON Lines',
        description: 'Streamed page by page. CSV and XLSX are for people by default: headers are field labels and values are shown as the studio shows them (option labels, linked records\u2019 titles — only titles the caller may read, else the id —, users\u2019 names, yes/no, amounts with their currency\u2019s sign — the field\u2019s, else the organisation\u2019s, CRM_CURRENCY), in the language of `lang` or Accept-Language; XLSX cells are typed (numbers, amounts as numbers formatted with their sign, booleans, dates, and instants at the organisation\u2019s wall-clock time, CRM_TIME_ZONE). JSON Lines is for programs by default: field keys and stored values, one object per record with every column (null when empty). `headers` and `values` choose either in any format (`headers=keys&values=raw` for a file to import again). Text cells of CSV and XLSX starting with = + - @ (or a tab or CR) are prefixed with an apostrophe (CSV injection). The file is named `<entity plural label> <date>.<format>` (Content-Disposition with an RFC 5987 UTF-8 name).',
        tags: ['export'],
        parameters: [
          pathParameter('entity', 'The entity name'),
          queryParameter('format', 'csv (default), xlsx or jsonl', { enum: ['csv', 'xlsx', 'jsonl'] }),
          queryParameter('filter', 'The filter JSON, as for lists'),
          queryParameter('sort', 'Sort, as for lists'),
          queryParameter('view', 'A list view: its filter, sort and (without `fields`) its columns and their labels apply'),
          queryParameter('fields', 'Comma-separated fields or lookup paths (`account.name`), after the id (default: the view\u2019s columns, else every readable field); one the caller may not read is a 400'),
          queryParameter('headers', 'labels: field labels in the caller\u2019s language (default for csv and xlsx); keys: field keys (default for jsonl)', { enum: ['labels', 'keys'] }),
          queryParameter('values', 'display: values as people read them (default for csv and xlsx); raw: stored values, as the records API answers them (default for jsonl)', { enum: ['display', 'raw'] }),
          queryParameter('lang', 'The language of labels and values (default: from Accept-Language), for download links that cannot set headers: en or zh, or a language tag of either (en-GB, zh-CN, zh-Hans)', { type: 'string', pattern: '^([eE][nN]|[zZ][hH])(-[A-Za-z0-9]{1,8})*$' }),
        ],
        responses: {
          '200': { description: 'The file', content: { 'text/csv': { schema: stringSchema }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } }, 'application/x-ndjson': { schema: stringSchema } } },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    '/api/import/uploads': {
      post: {
        operationId: 'uploadImportFile', summary: 'Upload a file to import (the raw body, streamed to disk; any content type)', tags,
        parameters: [{ ...queryParameter('name', 'The file name: .csv, .txt, .jsonl, .ndjson or .xlsx'), required: true }],
        requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } }, 'text/csv': { schema: stringSchema } } },
        responses: { '201': jsonResponse('Stored', sharedSchemaRef('crm.ImportUpload')), ...errorResponses(400, 401, 413) },
      },
    },
    '/api/import/mappings': {
      get: { operationId: 'listImportMappings', summary: 'Saved mappings and those shipped by templates', tags, responses: { '200': jsonResponse('Mappings', itemsOf(sharedSchemaRef('crm.ImportMappingSummary'))), ...errorResponses(400, 401) } },
    },
    '/api/import/mappings/{name}': {
      parameters: [pathParameter('name', 'The mapping name')],
      get: { operationId: 'getImportMapping', summary: 'A mapping', tags, responses: { '200': jsonResponse('The mapping', mapping), ...errorResponses(400, 401, 404) } },
      put: adminOnly({ operationId: 'saveImportMapping', summary: 'Save a mapping (checked against the current metadata)', tags, requestBody: jsonRequestBody(mapping), responses: { '200': jsonResponse('Saved', mapping), ...errorResponses(400, 401, 403) } }),
    },
    '/api/import/suggest': {
      post: {
        operationId: 'suggestImportMapping', summary: 'Columns of an upload and the field each is suggested for (names and en/zh labels)', tags,
        requestBody: jsonRequestBody(closedObjectOf({ upload: stringSchema, entity: stringSchema, sheet: { ...stringSchema, description: 'A workbook\u2019s sheet to read (default: the first with rows); one it does not have is a 400 naming /sheet and listing its sheets' }, headerRow: { ...integer, minimum: 1, maximum: maxHeaderRow, description: 'The line (a workbook\u2019s row) holding the column names (default: found below any title lines); a blank line or one past the end is a 400 naming /headerRow' } }, ['upload', 'entity'])),
        responses: {
          '200': jsonResponse('Suggestion', sharedSchemaRef('crm.ImportSuggestion')),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    '/api/import/targets': {
      get: { operationId: 'listImportTargets', summary: 'Entities the caller may import into (may create records of)', tags, responses: { '200': jsonResponse('Entity names', itemsOf(stringSchema)), ...errorResponses(400, 401) } },
    },
    '/api/import/jobs': {
      get: {
        operationId: 'listImportJobs', summary: 'Recent import jobs, newest first (an administrator sees everyone’s, a user their own)', tags,
        parameters: [queryParameter('limit', 'How many (50)', pageLimit(200))],
        responses: { '200': jsonResponse('Jobs', itemsOf(job)), ...errorResponses(400, 401) },
      },
      post: {
        operationId: 'startImportJob', summary: 'Start an import job (history mode: administrators); answered at once, runs in the background', tags,
        requestBody: jsonRequestBody(closedObjectOf({ upload: stringSchema, mapping: { oneOf: [stringSchema, mapping] }, mode, history: { type: 'boolean' } }, ['upload', 'mapping'])),
        responses: { '202': jsonResponse('Started', job), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    '/api/import/jobs/{id}': {
      parameters: [id],
      get: { operationId: 'getImportJob', summary: 'Status, progress, counts and notices of a job', tags, responses: { '200': jsonResponse('The job', job), ...errorResponses(400, 401, 404) } },
    },
    '/api/import/jobs/{id}/rows': {
      parameters: [id],
      get: {
        operationId: 'listImportRejectedRows', summary: 'The per-row report: every rejected row with its line, column, field, value and reason', tags,
        parameters: [queryParameter('limit', 'Page size (100)', pageLimit(1000)), queryParameter('after', 'Rows after this line', pageLimit(1e9))],
        responses: { '200': jsonResponse('Rows', itemsOf(sharedSchemaRef('crm.ImportRejectedRow'), { next: { ...integer, description: 'The last line of this page: ask again with after= it (absent on the last page)' } })), ...errorResponses(400, 401, 404) },
      },
    },
    '/api/import/jobs/{id}/rejected.csv': {
      parameters: [id],
      get: { operationId: 'downloadImportRejectedRows', summary: 'The rejected rows as CSV with _line and _reason columns (formula cells neutralized)', tags, responses: { '200': { description: 'CSV', content: { 'text/csv': { schema: stringSchema } } }, ...errorResponses(400, 401, 404) } },
    },
    '/api/import/jobs/{id}/resume': {
      parameters: [id],
      post: { operationId: 'resumeImportJob', summary: 'Resume a job whose process died, after its last committed batch', tags, responses: { '202': jsonResponse('Resumed', job), ...errorResponses(401, 404, 409) } },
    },
    '/api/import/jobs/{id}/cancel': {
      parameters: [id],
      post: { operationId: 'cancelImportJob', summary: 'Stop a running job after the batch it is writing; answers once it has stopped (what committed stays, counted, and can be undone)', tags, responses: { '200': jsonResponse('The job, cancelled', job), ...errorResponses(400, 401, 404, 409) } },
    },
    '/api/import/jobs/{id}/undo': {
      parameters: [id],
      post: {
        operationId: 'undoImportJob', summary: 'Undo an import: delete what it created, restore what it updated; records changed since are listed and left alone', tags,
        description: 'The undo runs in the background, a page of records per transaction: the answer (202) is the job, status `undoing`; GET the job for its progress (`undo.done` of `undo.total`) until it is `undone`, and GET this path for the whole report. A dry run (`dryRun=1`) answers at once (200) with what the undo would do. An undo interrupted by a restart goes on when the server starts, or when asked again; nothing is undone twice.',
        parameters: [queryParameter('dryRun', 'Report only (answered at once, 200)', booleanFlag)],
        responses: { '200': jsonResponse('The dry run\u2019s report', sharedSchemaRef('crm.ImportUndoReport')), '202': jsonResponse('The job, undoing', job), ...errorResponses(400, 401, 404, 409) },
      },
      get: {
        operationId: 'getImportUndoReport', summary: 'The whole report of an import\u2019s undo: every record deleted, restored, left alone (changed since) or refused, so far or in the end', tags,
        responses: { '200': jsonResponse('The undo report', { allOf: [sharedSchemaRef('crm.ImportUndoReport'), objectOf({ status: { type: 'string', enum: ['running', 'done', 'refused', 'failed', 'cancelled', 'undoing', 'undone'], description: 'The job\u2019s status: `undoing` while the undo runs' } }, ['status'])] }), ...errorResponses(400, 401, 404) },
      },
    },
  },
};
