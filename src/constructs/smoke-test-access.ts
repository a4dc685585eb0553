import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { RAW_TABLE } from '../lake/tables';
import { ATHENA_QUERY_ACTIONS, grantQueryResults, workgroupArn } from './lib/athena-access';

export interface SmokeTestRoundTripAccess {
  readonly workgroupName: string;
  readonly databaseName: string;
  /** Bucket the workgroup writes results to. */
  readonly resultsBucket: s3.IBucket;
  /** Key of the results (and lake) bucket. */
  readonly encryptionKey: kms.IKey;
  /**
   * Key prefix under which the workgroup writes results, ending in '/'.
   * @default RESULTS_PREFIX
   */
  readonly resultsPrefix?: string;
  /**
   * Table the round-trip query reads.
   * @default RAW_TABLE.name
   */
  readonly rawTableName?: string;
}

export interface SmokeTestAccessProps {
  /** Fixed name, so the pipeline can assume the role by ARN. */
  readonly roleName: string;
  /** ARN of the pipeline's smoke-test step role: the only principal trusted. */
  readonly trustedRoleArn: string;
  /** Pool in which the smoke test manages its temporary users. */
  readonly userPool: cognito.IUserPool;
  /**
   * When set, the role may also run the metering round-trip query.
   * @default no Athena, Glue, S3, KMS or Lake Formation access
   */
  readonly roundTrip?: SmokeTestRoundTripAccess;
}

/** Cognito admin calls the smoke test makes; InitiateAuth is unauthenticated and needs no IAM. */
export const SMOKE_TEST_USER_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminSetUserPassword',
  'cognito-idp:AdminDeleteUser',
  'cognito-idp:AdminGetUser',
] as const;

/** The role in the stage's account that the pipeline's smoke test assumes, and nothing more. */
export class SmokeTestAccess extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SmokeTestAccessProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new iam.ArnPrincipal(props.trustedRoleArn),
      // A smoke test runs for seconds to minutes; the shortest session AWS allows is enough.
      maxSessionDuration: Duration.hours(1),
      description: 'Assumed by the pipeline smoke test: temporary users in one pool, round-trip query in dev',
    });

    new iam.Policy(this, 'TemporaryUsers', {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({ actions: [...SMOKE_TEST_USER_ACTIONS], resources: [props.userPool.userPoolArn] }),
      ],
    });

    if (props.roundTrip) this.grantRoundTrip(props.roundTrip);
  }

  private grantRoundTrip(rt: SmokeTestRoundTripAccess): void {
    const stack = Stack.of(this);
    const glue = (resource: string, resourceName?: string) =>
      stack.formatArn({ service: 'glue', resource, resourceName });
    const policy = new iam.Policy(this, 'RoundTripQuery', {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          actions: ATHENA_QUERY_ACTIONS,
          resources: [workgroupArn(this, rt.workgroupName)],
        }),
        new iam.PolicyStatement({
          actions: ['glue:GetDatabase', 'glue:GetTable'],
          resources: [
            glue('catalog'),
            glue('database', rt.databaseName),
            glue('table', `${rt.databaseName}/${rt.rawTableName ?? RAW_TABLE.name}`),
          ],
        }),
        new iam.PolicyStatement({ actions: ['lakeformation:GetDataAccess'], resources: ['*'] }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'lakeformation:GetDataAccess supports no resource-level permissions (AWS requires Resource "*"); what the role can read is decided by its Lake Formation grant (SELECT on the raw table only).',
    });
    grantQueryResults(policy, {
      resultsBucket: rt.resultsBucket,
      encryptionKey: rt.encryptionKey,
      prefix: rt.resultsPrefix,
    });
  }
}
