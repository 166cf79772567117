// What a template's sample data is: files of records of one entity each, every record with a
// stable id that lookups between sample records use (the template loader inserts records with
// these ids). Generated deterministically relative to one reference date.

/** The day the sample data is "as of": histories end the day before, schedules run after it. */
export const referenceDate = '2026-11-01';

export type SampleRecord = { id: string } & Record<string, unknown>;

export interface SampleFile {
  entity: string;
  /** Relative to the template's folder, as the manifest names it. */
  file: string;
  records: SampleRecord[];
}

export interface TemplateSample {
  template: string;
  files: SampleFile[];
}

/** The text of a sample file: a JSON array (.json) or one record per line (.ndjson). */
export function sampleFileText(file: SampleFile, formatJson: (value: unknown) => string): string {
  if (file.file.endsWith('.ndjson')) return file.records.map((r) => JSON.stringify(r)).join('\n') + '\n';
  return formatJson(file.records);
}
