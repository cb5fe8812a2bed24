import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../../src/', import.meta.url));
const pages = join(src, 'pages');

// The pages render and nothing more: they see the endpoint contract, the paths and their own
// config, never the stores, tokens, grants or the transport.
const allowed = new Set(['endpoints/types.ts', 'endpoints/paths.ts', 'config/schema.ts', 'util/form-urlencoded.ts']);

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

describe('layering of src/pages', () => {
  it('imports from outside pages/ only the endpoint contract, the paths and the pages config', () => {
    const outside = files(pages).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bfrom '(\.[^']+)'/g)]
        .map(([, specifier]) => relative(src, join(file, '..', specifier!)))
        .filter((target) => !target.startsWith('pages/') && !allowed.has(target))
        .map((target) => `${relative(src, file)} → ${target}`),
    );
    assert.deepEqual(outside, []);
  });
});
