// The generated TypeScript types are committed; regenerating them from schemas/ must change nothing.
// When this fails, run: npx tsx engine/metadata/generate-types.ts

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedFile, listKindSchemas, renderTypes } from '../../engine/metadata/generate-types.ts';

describe('generated metadata types', () => {
  it('are up to date with schemas/', { timeout: 60_000 }, async () => {
    const committed = readFileSync(generatedFile, 'utf8');
    expect(await renderTypes()).toBe(committed);
  });

  it('declare a type for every document kind', async () => {
    const committed = readFileSync(generatedFile, 'utf8');
    for (const title of ['EntityDefinition', 'FormDefinition', 'ViewDefinition', 'WorkflowDefinition', 'RoleDefinition', 'DashboardDefinition', 'TemplateManifest']) {
      expect(committed).toContain(`export interface ${title} {`);
    }
    expect((await listKindSchemas()).length).toBeGreaterThanOrEqual(8);
  });
});
