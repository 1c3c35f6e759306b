import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployValuePlaceholder, type WarmpoolConfigInput } from '@warmpool/core';
import { Aws, type IResolvable, Token, Tokenization } from 'aws-cdk-lib';

/** Where the config file sits inside the config layer, and so under /opt in the controller. */
export const CONFIG_LAYER_FILE = 'warmpool/config.json';
/** The controller's WARMPOOL_CONFIG_FILE: Lambda extracts layers into /opt. */
export const CONFIG_FILE_IN_LAMBDA = `/opt/${CONFIG_LAYER_FILE}`;

/**
 * The config as a file, and what only deployment knows. CloudFormation resolves tokens (a function's name, the
 * region, a secret's dynamic reference) in template properties, never inside an asset's files, so each distinct
 * token becomes a `${WARMPOOL_CONFIG_VALUES[i]}` placeholder in the file and element i of `values`, which the
 * construct passes in the controller's environment. The shared secret always goes to `values`, never to the
 * file, even as plain text: the asset is uploaded to the bootstrap bucket and kept in `cdk.out`.
 */
export interface ConfigFilePlan {
  /** The file's text: the whole config, any size, with placeholders. */
  readonly json: string;
  /** The deploy-time values, as strings that may hold tokens, in placeholder order. */
  readonly values: readonly string[];
  /** An upper estimate of `values` as JSON once CloudFormation has resolved it. */
  readonly valuesBytes: number;
}

/** Known upper lengths of a resolved token, by the token; anything else is counted at UNKNOWN_TOKEN_BYTES. */
export type TokenLengths = ReadonlyMap<IResolvable, number>;

/** A token whose deployed length is unknown (an ARN is at most about 140 characters). */
export const UNKNOWN_TOKEN_BYTES = 140;
/** A secret's deployed length is unknown at synth; counted generously. */
export const SECRET_BYTES = 128;

/** Pseudo parameters inside imported functions' ARNs: the same three tokens for every such target. */
const PSEUDO_LENGTHS: ReadonlyArray<[string, number]> = [
  [Aws.PARTITION, 10],
  [Aws.REGION, 20],
  [Aws.ACCOUNT_ID, 12],
  [Aws.URL_SUFFIX, 20],
];

/** Records `bytes` as the deployed length of each token in `value` (a function name: 64). */
export function tokenLengths(entries: ReadonlyArray<readonly [string, number]>): Map<IResolvable, number> {
  const lengths = new Map<IResolvable, number>();
  for (const [value, bytes] of [...PSEUDO_LENGTHS, ...entries]) {
    for (const token of Tokenization.reverseString(value).tokens) lengths.set(token, bytes);
  }
  return lengths;
}

export function planConfigFile(input: WarmpoolConfigInput, lengths: TokenLengths): ConfigFilePlan {
  const values: string[] = [];
  let valuesBytes = 2; // the brackets
  const indexOf = new Map<IResolvable, number>();
  const add = (value: string, bytes: number): string => {
    values.push(value);
    valuesBytes += bytes + 3; // quotes and comma
    return deployValuePlaceholder(values.length - 1);
  };
  const placeToken = (token: IResolvable): string => {
    const known = indexOf.get(token);
    if (known !== undefined) return deployValuePlaceholder(known);
    const placeholder = add(Token.asString(token), lengths.get(token) ?? UNKNOWN_TOKEN_BYTES);
    indexOf.set(token, values.length - 1);
    return placeholder;
  };
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      if (!Token.isUnresolved(node)) return node;
      return Tokenization.reverseString(node)
        .mapTokens({ mapToken: placeToken })
        .join({ join: (left: unknown, right: unknown) => `${left}${right}` });
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item)]));
    }
    return node;
  };
  const { sharedSecret, ...rest } = input;
  const file = walk(rest) as Record<string, unknown>;
  if (sharedSecret !== undefined) {
    const bytes = Token.isUnresolved(sharedSecret)
      ? SECRET_BYTES
      : Buffer.byteLength(JSON.stringify(sharedSecret)) - 2;
    file.sharedSecret = add(sharedSecret, bytes);
  }
  return { json: `${JSON.stringify(file, null, 1)}\n`, values, valuesBytes };
}

/**
 * Writes the file into a directory named by its content, so that synthesizing the same config twice reuses it
 * and the asset's hash (hence the layer version) changes exactly when the config does.
 */
export function writeConfigDir(plan: ConfigFilePlan): string {
  const hash = createHash('sha256').update(plan.json).digest('hex').slice(0, 20);
  const dir = join(tmpdir(), `warmpool-config-${hash}`);
  const file = join(dir, CONFIG_LAYER_FILE);
  if (!existsSync(file)) {
    mkdirSync(join(dir, 'warmpool'), { recursive: true });
    // Written outside the directory, then renamed: two synths at once never stage a half-written file.
    const partial = `${dir}.${process.pid}.tmp`;
    writeFileSync(partial, plan.json);
    renameSync(partial, file);
  }
  return dir;
}
