import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface SmokeTestAccessProps {
  /** Fixed name, so the pipeline can assume the role by ARN. */
  readonly roleName: string;
  /** ARN of the pipeline's smoke-test step role: the only principal trusted. */
  readonly trustedRoleArn: string;
  /** Pool in which the smoke test manages its temporary users. */
  readonly userPool: cognito.IUserPool;
  /** When set, the role may also run the metering round-trip query. */
  readonly roundTrip?: {
    readonly workgroupName: string;
    readonly databaseName: string;
    /** Bucket the workgroup writes results to. */
    readonly resultsBucket: s3.IBucket;
    /** Key of the results (and lake) bucket. */
    readonly encryptionKey: kms.IKey;
  };
}

/** The role in the stage's account that the pipeline's smoke test assumes, and nothing more. */
export class SmokeTestAccess extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SmokeTestAccessProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new iam.ArnPrincipal(props.trustedRoleArn),
    });
  }
}
