import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** The top-level folders of src/ that a file imports from, by its relative import specifiers. */
function importedFolders(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const folders = new Set<string>();
  for (const [, specifier] of text.matchAll(/\bfrom '(\.[^']+)'/g)) {
    const target = relative(src, join(file, '..', specifier!));
    folders.add(target.split('/')[0]!);
  }
  return [...folders];
}

// The protocol core does not know the transport or the command line (style.md §10). Endpoints and
// grants name what they use as Pick<Services, …> from provider/, and grants read their parameters
// through endpoints/request-parameters.ts.
const forbidden: Record<string, readonly string[]> = {
  endpoints: ['http', 'cli'],
  grants: ['http', 'cli'],
  tokens: ['http', 'cli', 'endpoints', 'grants'],
  validation: ['http', 'cli', 'endpoints', 'grants'],
  'client-auth': ['http', 'cli', 'grants'],
  keys: ['http', 'cli', 'endpoints', 'grants'],
  stores: ['http', 'cli', 'endpoints', 'grants', 'provider', 'tokens', 'keys'],
  config: ['http', 'cli', 'endpoints', 'grants', 'provider'],
  util: ['http', 'cli', 'endpoints', 'grants', 'provider', 'stores', 'config', 'keys', 'tokens'],
};

describe('layering of src/', () => {
  for (const [folder, banned] of Object.entries(forbidden)) {
    it(`${folder}/ imports nothing from ${banned.join(', ')}`, () => {
      const offending = sourceFiles(join(src, folder)).flatMap((file) =>
        importedFolders(file)
          .filter((target) => banned.includes(target))
          .map((target) => `${relative(src, file)} → ${target}/`),
      );
      assert.deepEqual(offending, []);
    });
  }
});
