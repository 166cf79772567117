// The engine's import graph, read from the sources with the TypeScript parser: every relative
// import, export-from, dynamic import() and import('…') type between files of one source tree,
// type-only imports included (a type is part of what a file depends on).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** Paths relative to the tree's root, with forward slashes. */
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

const relative = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');

/** Every import between two files under `root`. */
export function importEdges(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of sourceFiles(root)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const note = (specifier: string) => {
      if (!specifier.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), specifier);
      if (target.startsWith(root + path.sep)) edges.push({ from: relative(root, file), to: relative(root, target) });
    };
    const visit = (node: ts.Node) => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) note(node.moduleSpecifier.text);
      else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) note(node.arguments[0].text);
      else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) note(node.argument.literal.text);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return edges;
}

/** The top folder of a path relative to the root (`records/write-record.ts` → `records`). */
export const folderOf = (file: string) => file.split('/')[0]!;

/** The folders holding source files directly or below them. */
export function sourceFolders(root: string): string[] {
  return readdirSync(root).filter((name) => statSync(path.join(root, name)).isDirectory() && sourceFiles(path.join(root, name)).length > 0).sort();
}

/** Groups of files that import each other round a circle (strongly connected components of two or more files, or a file importing itself). */
export function fileCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    if (!next.has(from)) next.set(from, new Set());
    next.get(from)!.add(to);
  }
  // Tarjan's algorithm, iterative so that a long chain of imports cannot overflow the stack.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  for (const start of next.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; pending: string[] }[] = [];
    const open = (node: string) => {
      index.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      work.push({ node, pending: [...(next.get(node) ?? [])] });
    };
    open(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const child = frame.pending.pop();
      if (child !== undefined) {
        if (!index.has(child)) open(child);
        else if (onStack.has(child)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1 || next.get(frame.node)?.has(frame.node)) cycles.push(component.sort());
      }
    }
  }
  return cycles;
}

/** Imports that go against a bottom-up order of folders: to a folder listed later, or to one not listed. */
export function importsAgainstOrder(edges: readonly ImportEdge[], order: readonly string[]): string[] {
  const rank = new Map(order.map((folder, i) => [folder, i]));
  const out: string[] = [];
  for (const { from, to } of edges) {
    const a = folderOf(from);
    const b = folderOf(to);
    if (a === b) continue;
    const ra = rank.get(a);
    const rb = rank.get(b);
    if (ra === undefined || rb === undefined || rb > ra) out.push(`${from} imports ${to}: ${b}/ is ${rb === undefined ? 'not in the list' : `listed above ${a}/ (it must be below)`}`);
  }
  return out;
}

/** The folders of a layer list in a README: lines "- `name/` — …", in their order. */
export function listedFolders(readme: string): string[] {
  return [...readme.matchAll(/^- `([a-z][a-z0-9-]*)\/`/gm)].map((m) => m[1]!);
}
