import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { configSchema, type IdProoConfig } from './schema.ts';

/** One problem in a configuration, with the path written as in the file (`clients[2].redirectUris[0]`). */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(source: string, problems: readonly ConfigProblem[]) {
    super(`${source}: invalid configuration\n${problems.map((p) => `  ${p.path || '(root)'}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function problemsOf(error: z.ZodError): ConfigProblem[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling against docs/configuration.md`;
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
      message = `is required: ${message}`;
    }
    return { path: formatPath(issue.path), message };
  });
}

/** Validates an already-parsed configuration object; throws ConfigError naming every problem. */
export function parseConfig(input: unknown, source = 'configuration'): IdProoConfig {
  const result = configSchema.safeParse(input ?? {}, { reportInput: true });
  if (!result.success) throw new ConfigError(source, problemsOf(result.error));
  return result.data;
}

/** Reads and validates a JSON configuration file. */
export async function loadConfigFile(file: string, missingHint = ''): Promise<IdProoConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(file, [{ path: '', message: code === 'ENOENT' ? `file not found${missingHint}` : `cannot be read (${code ?? String(error)})` }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, [{ path: '', message: `is not valid JSON: ${(error as Error).message}` }]);
  }
  return parseConfig(json, file);
}
