import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface CompactionProps {
  /** Fixed role name: the lake setup grants Lake Formation permissions to it. */
  readonly roleName: string;
  /** Lake bucket (raw/, compacted/, staging and manifests). */
  readonly bucket: s3.IBucket;
  /** Key of the lake bucket and query results. */
  readonly encryptionKey: kms.IKey;
  /** Glue database of the tables. */
  readonly databaseName: string;
  /** Athena workgroup the job runs its statements in (created by LakeSetup). */
  readonly workgroupName: string;
  /** Bucket the workgroup writes results to. */
  readonly resultsBucket: s3.IBucket;
  /** EventBridge schedule expression. */
  readonly schedule: string;
  /** Minutes after an hour ends before it is closed. */
  readonly lagMinutes: number;
  /** Alarm when the newest closed hour is older than this. */
  readonly unclosedAlarmHours: number;
  /** Retention of the job's log group, in days. */
  readonly logRetentionDays: number;
  readonly alarmTopic: sns.ITopic;
  readonly dashboard: cloudwatch.Dashboard;
}

/** The hourly job that rewrites each closed hour of raw JSON into deduplicated ZSTD Parquet. */
export class Compaction extends Construct {
  /** Role the job runs as; LakeSetup grants it Lake Formation permissions. */
  readonly role: iam.Role;
  /** The scheduled rule; the stack orders it after the lake setup. */
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: CompactionProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    this.schedule = new events.Rule(this, 'Schedule', { schedule: events.Schedule.expression(props.schedule) });
  }
}
