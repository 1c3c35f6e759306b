import { ConfigError } from '@warmpool/core';
import { Warmpool } from '@warmpool/infra';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { INLINE_CONTROLLER } from './stacks.js';

const QUALIFIED = 'arn:aws:lambda:eu-west-1:123456789012:function:api:live';
const UNQUALIFIED = 'arn:aws:lambda:eu-west-1:123456789012:function:api';

function withImported(qualifier: string | undefined) {
  const stack = new Stack(new App(), 'Test');
  const fn = LambdaFunction.fromFunctionArn(stack, 'Imported', QUALIFIED);
  new Warmpool(stack, 'Warmpool', {
    targets: [{ function: fn, ...(qualifier === undefined ? {} : { qualifier }) }],
    controllerCode: INLINE_CONTROLLER,
  });
  return stack;
}

describe('a function imported by an ARN that already ends in its qualifier (issue 11)', () => {
  it.each([['live'], [undefined]])(
    'with qualifier %s: invokes …:api:live, never …:live:live',
    (qualifier) => {
      const template = Template.fromStack(withImported(qualifier));
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Sid: 'InvokeWarmTargets', Resource: `${UNQUALIFIED}:live` }),
            Match.objectLike({ Sid: 'ReadTargetConcurrency', Resource: UNQUALIFIED }),
          ]),
        },
      });
      expect(JSON.stringify(template.toJSON())).not.toContain(':live:live');
    },
  );

  it('a qualifier that disagrees with the ARN is refused at synth, naming the field and the rule', () => {
    let error: unknown;
    try {
      withImported('prod');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => `${i.field}: ${i.rule}`)).toEqual([
      'targets[0].qualifier: must agree with the qualifier in the function ARN',
    ]);
  });
});
