import { readFileSync } from 'node:fs';
import {
  ConfigError,
  HANDLER_ENV,
  parseConfigJson,
  ValidationError,
  type WarmpoolConfig,
} from '@warmpool/core';

/**
 * Loads and validates the config from `WARMPOOL_CONFIG` (JSON) or `WARMPOOL_CONFIG_FILE` (a path). Throws a
 * ConfigError naming every bad field and where the config came from; never starts a tick on a bad config.
 */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): WarmpoolConfig {
  const inline = env[HANDLER_ENV.config];
  const file = env[HANDLER_ENV.configFile];
  if (inline !== undefined && inline.trim() !== '') return parseConfigJson(inline, HANDLER_ENV.config);
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
    return parseConfigJson(text, file);
  }
  throw new ConfigError([
    new ValidationError(
      HANDLER_ENV.config,
      `must be set (JSON), or ${HANDLER_ENV.configFile} to a JSON file path`,
    ),
  ]);
}

/** The decision table's name from `WARMPOOL_TABLE`. */
export function tableFromEnv(env: Readonly<Record<string, string | undefined>>): string {
  const table = env[HANDLER_ENV.table];
  if (!table) throw new ConfigError([new ValidationError(HANDLER_ENV.table, 'must name the decision table')]);
  return table;
}
