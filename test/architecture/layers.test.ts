// engine/ reads bottom-up: each folder owns one idea and imports only the folders listed before it
// in engine/README.md, and no files import each other round a circle. The checks are run first on
// a small tree built here, so that they are shown to catch what they are meant to catch.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileCycles, importEdges, importsAgainstOrder, listedFolders, sourceFolders } from './import-graph.ts';

const engine = path.resolve(import.meta.dirname, '../../engine');

describe('the checks themselves, on a small tree', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'crm-layers-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  write('low/a.ts', "import type { B } from './b.ts';\nexport type A = B;\n");
  write('low/b.ts', "import { c } from '../high/c.ts';\nexport type B = typeof c;\n");
  write('low/d.ts', "export const d = 1;\nexport type { A } from './a.ts';\n");
  write('high/c.ts', "import { d } from '../low/d.ts';\nexport const c = d;\nexport const lazy = () => import('../low/a.ts');\n");
  write('high/e.ts', "export type E = import('./c.ts').c;\n");

  it('reads imports, type-only ones, re-exports, import() and import types', () => {
    const edges = importEdges(root).map((e) => `${e.from} -> ${e.to}`).sort();
    expect(edges).toEqual(['high/c.ts -> low/a.ts', 'high/c.ts -> low/d.ts', 'high/e.ts -> high/c.ts', 'low/a.ts -> low/b.ts', 'low/b.ts -> high/c.ts', 'low/d.ts -> low/a.ts']);
  });

  it('finds a circle of files across folders', () => {
    expect(fileCycles(importEdges(root))).toEqual([['high/c.ts', 'low/a.ts', 'low/b.ts', 'low/d.ts']]);
  });

  it('names an import that goes up, and one into a folder not listed', () => {
    expect(importsAgainstOrder(importEdges(root), ['low', 'high'])).toEqual(['low/b.ts imports high/c.ts: high/ is listed above low/ (it must be below)']);
    expect(importsAgainstOrder(importEdges(root), ['high'])).toContain('high/c.ts imports low/d.ts: low/ is not in the list');
  });
});

describe('engine/', () => {
  const order = listedFolders(readFileSync(path.join(engine, 'README.md'), 'utf8'));
  const edges = importEdges(engine);

  it('lists every folder once in engine/README.md, and only folders that exist', () => {
    expect(new Set(order).size).toBe(order.length);
    expect([...order].sort()).toEqual(sourceFolders(engine));
  });

  it('imports only downward: each folder from folders listed before it', () => {
    expect(edges.length).toBeGreaterThan(500);
    expect(importsAgainstOrder(edges, order)).toEqual([]);
  });

  it('has no files importing each other round a circle', () => {
    expect(fileCycles(edges)).toEqual([]);
  });
});
