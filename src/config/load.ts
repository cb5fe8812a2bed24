import { readFile } from 'node:fs/promises';
import * as v from 'valibot';
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

/**
 * A field left out (or undefined, in a configuration built in code) where a value of some type belongs.
 * A union or a list of values already says what it accepts, and a wrong value that is present is not missing.
 */
const isMissing = (issue: v.BaseIssue<unknown>) => issue.kind === 'schema' && issue.input === undefined && issue.type !== 'union' && issue.type !== 'picklist';

function problemsOf(issues: readonly v.BaseIssue<unknown>[]): ConfigProblem[] {
  return issues.map((issue) => ({
    path: formatPath(issue.path?.map((item) => item.key as PropertyKey) ?? []),
    message: isMissing(issue) ? `is required: ${issue.message}` : issue.message,
  }));
}

/** Validates an already-parsed configuration object; throws ConfigError naming every problem. */
export function parseConfig(input: unknown, source = 'configuration'): IdProoConfig {
  const result = v.safeParse(configSchema, input ?? {});
  if (!result.success) throw new ConfigError(source, problemsOf(result.issues));
  return result.output;
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
