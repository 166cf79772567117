// A bundled template's content is what its version names: an installed system is offered an upgrade
// only when the version rises, so a change to any file of a template without a new version would
// never reach the systems that have it. industry-templates/versions.lock.json pins each template's
// version to a digest of its files; a change to the files must come with a higher version and a new
// line in the lock (the failure says which).

import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../industry-templates');

/** SHA-256 over every file of a template folder: its path relative to the folder, then its bytes, in path order. */
async function digestOf(template: string): Promise<string> {
  const dir = path.join(root, template);
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    hash.update(`${file}\0`);
    hash.update(await readFile(path.join(dir, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

async function bundledTemplates(): Promise<{ name: string; version: string }[]> {
  const entries = await readdir(root, { withFileTypes: true });
  const out: { name: string; version: string }[] = [];
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const manifest = await readFile(path.join(root, entry.name, 'template.json'), 'utf8').catch(() => undefined);
    if (manifest) out.push({ name: entry.name, version: (JSON.parse(manifest) as { version: string }).version });
  }
  return out;
}

type Lock = Record<string, Record<string, string>>;

describe('bundled template versions', () => {
  it('every template folder is pinned: its files changed only together with a higher version', async () => {
    const lock = JSON.parse(await readFile(path.join(root, 'versions.lock.json'), 'utf8')) as Lock;
    const templates = await bundledTemplates();
    expect(templates.map((t) => t.name).sort()).toEqual(Object.keys(lock).sort());
    const problems: string[] = [];
    for (const { name, version } of templates) {
      const digest = await digestOf(name);
      const pinned = lock[name] ?? {};
      const newest = semver.rsort(Object.keys(pinned))[0];
      if (pinned[version] === digest) continue;
      if (pinned[version] !== undefined) problems.push(`${name}: its files changed but its version is still ${version} — raise the version in template.json (this test then names the line to add to versions.lock.json)`);
      else if (newest && !semver.gt(version, newest)) problems.push(`${name}: version ${version} is not above the last pinned ${newest}`);
      else problems.push(`${name}: version ${version} is not pinned — add "${version}": "${digest}" under "${name}" in versions.lock.json`);
    }
    expect(problems).toEqual([]);
  });

  it('the digest changes with any file of the folder', async () => {
    // The check above is only as good as the digest: the same folder gives the same digest, and the
    // services template (other files) a different one than retail.
    expect(await digestOf('services')).toBe(await digestOf('services'));
    expect(await digestOf('services')).not.toBe(await digestOf('retail'));
  });
});
