import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** What a principal needs to run and read its own queries in a workgroup, and no more. */
export const ATHENA_QUERY_ACTIONS = [
  'athena:StartQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:StopQueryExecution',
];

/** ARN of a workgroup in the scope's account and region: the only resource Athena query permissions name. */
export function workgroupArn(scope: IConstruct, workgroupName: string): string {
  return Stack.of(scope).formatArn({ service: 'athena', resource: 'workgroup', resourceName: workgroupName });
}
