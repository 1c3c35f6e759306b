import { ConfigError, DEPLOY_VALUES, HANDLER_ENV, ValidationError } from '@warmpool/core';

/**
 * Parses `WARMPOOL_CONFIG_VALUES` (a JSON array of strings; absent or empty means none). A malformed value is a
 * ConfigError naming the variable and the rule, raised before any AWS call.
 */
export function parseDeployValues(text: string | undefined): readonly string[] {
  if (text === undefined || text.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([
      new ValidationError(HANDLER_ENV.configValues, 'must be a JSON array of strings', {
        detail: (error as Error).message,
        cause: error,
      }),
    ]);
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new ConfigError([new ValidationError(HANDLER_ENV.configValues, 'must be a JSON array of strings')]);
  }
  return value;
}

/**
 * Replaces every `${WARMPOOL_CONFIG_VALUES[i]}` in the strings of a parsed config file by element i of `values`.
 * A placeholder without a value is an issue naming its place in the file (`targets[3].functionName`), so a
 * config that was deployed without its values never reaches a tick with a placeholder for a function name.
 */
export function substituteDeployValues(config: unknown, values: readonly string[], source: string): unknown {
  const issues: ValidationError[] = [];
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') {
      return node.replace(DEPLOY_VALUES.pattern, (placeholder, index: string) => {
        const value = values[Number(index)];
        if (value !== undefined) return value;
        issues.push(
          new ValidationError(
            path || '(root)',
            `refers to a deploy-time value that ${HANDLER_ENV.configValues} lacks`,
            {
              detail: `${placeholder}; ${values.length} value(s) given`,
            },
          ),
        );
        return placeholder;
      });
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${path}[${i}]`));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node).map(([key, item]) => [key, walk(item, path ? `${path}.${key}` : key)]),
      );
    }
    return node;
  };
  const result = walk(config, '');
  if (issues.length > 0) throw new ConfigError(issues, source);
  return result;
}
