import { readFileSync } from 'node:fs';
import {
  ConfigError,
  HANDLER_ENV,
  parseConfig,
  parseConfigJson,
  ValidationError,
  type WarmpoolConfig,
} from '@warmpool/core';
import { parseDeployValues, substituteDeployValues } from './deploy-values.js';

/**
 * What a handler's cached config depends on: the config, its file and deploy-time values, and the table. A
 * container keeps its parsed config (and the ports built for it) while these stay the same.
 */
export function configEnvKey(env: Readonly<Record<string, string | undefined>>): string {
  return [env.WARMPOOL_CONFIG, env.WARMPOOL_CONFIG_FILE, env.WARMPOOL_CONFIG_VALUES, env.WARMPOOL_TABLE]
    .map((v) => v ?? '')
    .join('\u0000');
}

/**
 * Loads and validates the config from `WARMPOOL_CONFIG` (JSON) or `WARMPOOL_CONFIG_FILE` (a path), with the
 * deploy-time values of `WARMPOOL_CONFIG_VALUES` filled in (the CDK construct ships the config as a file and
 * leaves function names and the shared secret to the environment). Throws a ConfigError naming every bad field
 * and where the config came from; never starts a tick on a bad config.
 */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): WarmpoolConfig {
  const inline = env[HANDLER_ENV.config];
  const file = env[HANDLER_ENV.configFile];
  const values = parseDeployValues(env[HANDLER_ENV.configValues]);
  if (inline !== undefined && inline.trim() !== '')
    return parseWithValues(inline, HANDLER_ENV.config, values);
  if (file !== undefined && file.trim() !== '') {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(
        [
          new ValidationError(HANDLER_ENV.configFile, 'must name a readable file', {
            detail: `${file}: ${(e as Error).message}`,
          }),
        ],
        file,
      );
    }
    return parseWithValues(text, file, values);
  }
  throw new ConfigError([
    new ValidationError(
      HANDLER_ENV.config,
      `must be set (JSON), or ${HANDLER_ENV.configFile} to a JSON file path`,
    ),
  ]);
}

function parseWithValues(text: string, source: string, values: readonly string[]): WarmpoolConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    // parseConfigJson reports the line and column of the JSON error.
    return parseConfigJson(text, source);
  }
  return parseConfig(substituteDeployValues(parsed, values, source), source);
}

/** The decision table's name from `WARMPOOL_TABLE`. */
export function tableFromEnv(env: Readonly<Record<string, string | undefined>>): string {
  const table = env[HANDLER_ENV.table];
  if (!table) throw new ConfigError([new ValidationError(HANDLER_ENV.table, 'must name the decision table')]);
  return table;
}
