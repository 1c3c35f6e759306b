import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag (AwsSolutions) findings the construct cannot fix, acknowledged on the controller's role only (not the
 * stack), each with the reason. Everything else is fixed: own role with scoped logs permissions instead of the
 * managed basic-execution policy, newest Node runtime, point-in-time recovery on the table.
 */
export const NAG_ACKNOWLEDGEMENTS = [
  {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'cloudwatch:GetMetricData (and lambda:GetAccountSettings, granted only for an unreserved budget) support no resource-level permissions in the Service Authorization Reference; every other statement names exact ARNs',
  },
] as const;

export function acknowledgeNagFindings(role: IConstruct): void {
  Validations.of(role).acknowledge(...NAG_ACKNOWLEDGEMENTS);
}
