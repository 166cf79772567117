// Generates the sample data of the bundled industry templates: deterministic (seeded PRNG, one
// reference date), realistic, and passing every rule of its template. Run by hand:
//
//   npx tsx industry-templates/tools/generate-sample-data.ts
//
// It writes each template's sample-data/ files and the `sampleData` section of its manifest
// (file and record count per entity). The engine never runs this script: a template carries
// data files only. test/industry-templates checks that the committed files are its output.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatJson } from './format-json.ts';
import { generateRetail } from './sample/retail.ts';
import { sampleFileText, type TemplateSample } from './sample/sample-set.ts';
import { generateServices } from './sample/services.ts';
import { generateWholesale } from './sample/wholesale.ts';

export const templatesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every generated file: path relative to industry-templates/ → its full text. */
export function generateSampleData(): Map<string, string> {
  const out = new Map<string, string>();
  for (const sample of [generateRetail(), generateWholesale(), generateServices()]) addTemplate(out, sample);
  return out;
}

function addTemplate(out: Map<string, string>, sample: TemplateSample): void {
  const ids = new Set<string>();
  const sampleData: Record<string, { file: string; count: number }> = {};
  for (const file of sample.files) {
    for (const record of file.records) {
      if (ids.has(record.id)) throw new Error(`${sample.template}: id ${record.id} generated twice`);
      ids.add(record.id);
    }
    out.set(`${sample.template}/${file.file}`, sampleFileText(file, formatJson));
    sampleData[file.entity] = { file: file.file, count: file.records.length };
  }
  const manifestPath = `${sample.template}/template.json`;
  const manifest = JSON.parse(readFileSync(path.join(templatesDir, manifestPath), 'utf8')) as Record<string, unknown>;
  out.set(manifestPath, formatJson({ ...manifest, sampleData }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [relative, text] of generateSampleData()) {
    const target = path.join(templatesDir, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
    console.log(`${relative}: ${text.endsWith('\n') ? text.split('\n').length - 1 : 1} lines`);
  }
}
