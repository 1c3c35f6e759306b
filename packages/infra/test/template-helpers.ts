import { ConfigError } from '@warmpool/core';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

type Json = unknown;

/**
 * Resolves the CloudFormation a test needs to read as text: `Fn::Join` of strings, and `Fn::GetAtt [id, attr]`
 * / `Ref` through the given lookup (logical id and attribute, `Ref` for a Ref, to value). Anything else is a
 * test bug and throws.
 */
export function resolveJoin(value: Json, lookup: (logicalId: string, attribute: string) => string): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, Json>;
  if (Array.isArray(v['Fn::Join'])) {
    const [sep, parts] = v['Fn::Join'] as [string, Json[]];
    return parts.map((p) => resolveJoin(p, lookup)).join(sep);
  }
  if (Array.isArray(v['Fn::GetAtt'])) {
    const [id, attribute] = v['Fn::GetAtt'] as [string, string];
    return lookup(String(id), String(attribute));
  }
  if (typeof v.Ref === 'string') return lookup(v.Ref, 'Ref');
  // The name of a function imported by name: `Fn::Select [6, Fn::Split [':', arn]]`.
  if (Array.isArray(v['Fn::Select'])) {
    const [index, from] = v['Fn::Select'] as [number, Record<string, Json>];
    if (Array.isArray(from['Fn::Split'])) {
      const [sep, text] = from['Fn::Split'] as [string, Json];
      const part = resolveJoin(text, lookup).split(sep)[index];
      if (part !== undefined) return part;
    }
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

/** The one resource of a type whose logical id starts with `prefix`. */
export function onlyResource(
  stack: Stack,
  type: string,
  prefix: string,
): { id: string; props: Record<string, Json> } {
  const found = Object.entries(Template.fromStack(stack).findResources(type)).filter(([id]) =>
    id.startsWith(prefix),
  );
  if (found.length !== 1) throw new Error(`expected one ${type} ${prefix}*, found ${found.length}`);
  const [id, resource] = found[0] as [string, { Properties: Record<string, Json> }];
  return { id, props: resource.Properties };
}

/** Builds and returns the ConfigError thrown, failing the test when nothing is thrown. */
export function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** A ConfigError's issues as `field: rule` lines. */
export const fields = (error: ConfigError) => error.issues.map((i) => `${i.field}: ${i.rule}`);
