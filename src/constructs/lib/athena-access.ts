import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { acknowledgeWildcardResource } from './nag';

/** What a principal needs to run and read its own queries in a workgroup, and no more. */
export const ATHENA_QUERY_ACTIONS = [
  'athena:StartQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:StopQueryExecution',
];

/** Key prefix under which the stage's workgroup writes query results in the results bucket. */
export const RESULTS_PREFIX = 'results/';

/** ARN of a workgroup in the scope's account and region: the only resource Athena query permissions name. */
export function workgroupArn(scope: IConstruct, workgroupName: string): string {
  return Stack.of(scope).formatArn({ service: 'athena', resource: 'workgroup', resourceName: workgroupName });
}

export interface QueryResultsAccess {
  /** Bucket the workgroup writes results to. */
  readonly resultsBucket: s3.IBucket;
  /** Key the workgroup encrypts results with. */
  readonly encryptionKey: kms.IKey;
  /** @default RESULTS_PREFIX */
  readonly prefix?: string;
}

/**
 * Athena writes and reads a query's results with the caller's own credentials:
 * objects under the results prefix, listing that prefix, and the results key.
 * Adds exactly that to `target` (a policy, or a role's default policy) and
 * acknowledges the one wildcard it needs, the per-query object keys.
 */
export function grantQueryResults(target: iam.Policy | iam.Role, access: QueryResultsAccess): void {
  const prefix = access.prefix ?? RESULTS_PREFIX;
  const objects = access.resultsBucket.arnForObjects(`${prefix}*`);
  const statements = [
    new iam.PolicyStatement({
      sid: 'QueryResults',
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: [objects],
    }),
    new iam.PolicyStatement({
      sid: 'QueryResultsBucket',
      actions: ['s3:ListBucket', 's3:GetBucketLocation'],
      resources: [access.resultsBucket.bucketArn],
    }),
    new iam.PolicyStatement({
      sid: 'QueryResultsKey',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [access.encryptionKey.keyArn],
    }),
  ];
  let policy: IConstruct;
  if (target instanceof iam.Policy) {
    target.addStatements(...statements);
    policy = target;
  } else {
    for (const s of statements) target.addToPolicy(s);
    policy = target.node.findChild('DefaultPolicy');
  }
  acknowledgeWildcardResource(
    policy,
    objects,
    `Athena writes each query's results under a new object key below ${prefix} of the results bucket; nothing else in it is reachable.`,
  );
}
