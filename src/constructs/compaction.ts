import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { LAKE_PREFIXES, STAGING_TABLE, TABLES } from '../lake/tables';
import { ENV } from '../runtime/compaction/env';
import { METRIC, METRICS_NAMESPACE, METRICS_SERVICE } from '../runtime/compaction/metrics';
import { notifyOn } from './lib/alarms';
import { ATHENA_QUERY_ACTIONS, grantQueryResults, RESULTS_PREFIX, workgroupArn } from './lib/athena-access';
import { acknowledgeWildcardResource } from './lib/nag';
import { NodeFunction } from './lib/node-function';

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
  /**
   * Value of the `stage` dimension of the job's metrics.
   * @default the role name (unique per app and stage)
   */
  readonly stageName?: string;
  /**
   * How many hours back a scheduled run looks for hours left unclosed (missed
   * schedules, failed runs) and closes them first, oldest first.
   * @default the larger of 24 and `unclosedAlarmHours`, so every gap the alarm reported is caught up
   */
  readonly lookbackHours?: number;
  /**
   * Key prefix the workgroup writes query results under, in `resultsBucket`.
   * @default RESULTS_PREFIX
   */
  readonly resultsPrefix?: string;
}

/** The hourly job that rewrites each closed hour of raw JSON into deduplicated ZSTD Parquet. */
export class Compaction extends Construct {
  /** Role the job runs as; LakeSetup grants it Lake Formation permissions. */
  readonly role: iam.Role;
  /** The scheduled rule; the stack orders it after the lake setup. */
  readonly schedule: events.Rule;
  /** The job; `npm run compact` invokes it with a backfill range. */
  readonly function: lambda.IFunction;
  /** Fires when an invocation fails (Athena FAILED/CANCELLED, counts not balancing, S3 errors). */
  readonly errorsAlarm: cloudwatch.Alarm;
  /** Fires when no scheduled run closed an hour for `unclosedAlarmHours`. */
  readonly unclosedAlarm: cloudwatch.Alarm;
  /** Fires when an hour held rows without a request id (kept, but not deduplicable or billable). */
  readonly missingRequestIdAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: CompactionProps) {
    super(scope, id);
    const stage = props.stageName ?? props.roleName;
    const lookbackHours = props.lookbackHours ?? Math.max(24, props.unclosedAlarmHours);
    if (!Number.isInteger(lookbackHours) || lookbackHours < props.unclosedAlarmHours) {
      throw new Error(
        `Compaction lookbackHours: expected an integer of at least unclosedAlarmHours (${props.unclosedAlarmHours}), got ${lookbackHours}`,
      );
    }
    const resultsPrefix = props.resultsPrefix ?? RESULTS_PREFIX;

    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Hourly compaction of raw access logs into deduplicated Parquet',
    });

    const job = new NodeFunction(this, 'Job', {
      entry: path.join(__dirname, '..', 'runtime', 'compaction', 'handler.ts'),
      logRetentionDays: props.logRetentionDays,
      role: this.role,
      memorySize: 256,
      // The Lambda maximum: a backfill closes hours until little time is left, then returns the rest.
      timeout: Duration.minutes(15),
      // Two runs must never promote the same hour at once.
      reservedConcurrentExecutions: 1,
      environment: {
        [ENV.database]: props.databaseName,
        [ENV.bucket]: props.bucket.bucketName,
        [ENV.workGroup]: props.workgroupName,
        [ENV.lagMinutes]: String(props.lagMinutes),
        [ENV.lookbackHours]: String(lookbackHours),
        [ENV.stage]: stage,
      },
    });
    this.function = job.function;
    job.logGroup.grantWrite(this.role);

    this.schedule = new events.Rule(this, 'Schedule', {
      schedule: events.Schedule.expression(props.schedule),
      description: `Closes the newest hour that ended more than ${props.lagMinutes} minutes ago`,
      targets: [
        // A delivery retried after the next schedule is harmless: the run catches up from the oldest unclosed hour.
        new targets.LambdaFunction(job.function, { retryAttempts: 2, maxEventAge: Duration.hours(1) }),
      ],
    });

    this.grantLakeAccess(props, resultsPrefix);
    ({
      errors: this.errorsAlarm,
      unclosed: this.unclosedAlarm,
      missingIds: this.missingRequestIdAlarm,
    } = this.addAlarms(props, stage));
  }

  private grantLakeAccess(props: CompactionProps, resultsPrefix: string): void {
    const stack = Stack.of(this);
    const role = this.role;
    const add = (sid: string, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
      role.addToPolicy(new iam.PolicyStatement({ sid, actions, resources, conditions }));

    add('AthenaWorkgroup', ATHENA_QUERY_ACTIONS, [workgroupArn(this, props.workgroupName)]);

    const glue = (resource: string, resourceName?: string) =>
      stack.formatArn({ service: 'glue', resource, resourceName });
    add(
      'GlueTables',
      ['glue:GetDatabase', 'glue:GetTable'],
      [
        glue('catalog'),
        glue('database', props.databaseName),
        ...TABLES.map((t) => glue('table', `${props.databaseName}/${t.name}`)),
      ],
    );
    // Athena's INSERT into a Hive-partitioned table looks up and registers the partition it wrote. Projection
    // makes the registered partition unused, but the call is still made; only the staging table is written.
    add(
      'GlueStagingPartitions',
      ['glue:GetPartition', 'glue:GetPartitions', 'glue:BatchCreatePartition'],
      [
        glue('catalog'),
        glue('database', props.databaseName),
        glue('table', `${props.databaseName}/${STAGING_TABLE.name}`),
      ],
    );

    const lake = (prefix: string) => props.bucket.arnForObjects(`${prefix}*`);
    add('ReadRaw', ['s3:GetObject'], [lake(LAKE_PREFIXES.raw)]);
    add(
      'WriteCompactedAndStaging',
      ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      [lake(LAKE_PREFIXES.compacted), lake(LAKE_PREFIXES.staging)],
    );
    add('WriteManifests', ['s3:PutObject'], [lake(LAKE_PREFIXES.manifests)]);
    // Only the promoting markers are ever deleted; manifests are the hours' history.
    add(
      'ClearPromotingMarkers',
      ['s3:DeleteObject'],
      [props.bucket.arnForObjects(`${LAKE_PREFIXES.manifests}*/_promoting-*`)],
    );
    add('ListLakePrefixes', ['s3:ListBucket'], [props.bucket.bucketArn], {
      StringLike: {
        's3:prefix': [LAKE_PREFIXES.raw, LAKE_PREFIXES.compacted, LAKE_PREFIXES.staging, LAKE_PREFIXES.manifests].map(
          (p) => `${p}*`,
        ),
      },
    });
    add('LakeBucketLocation', ['s3:GetBucketLocation'], [props.bucket.bucketArn]);
    grantQueryResults(role, {
      resultsBucket: props.resultsBucket,
      encryptionKey: props.encryptionKey,
      prefix: resultsPrefix,
    });
    add('LakeKey', ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], [props.encryptionKey.keyArn]);
    // Lake Formation vends the S3 credentials for registered locations; the action has no resource-level scoping.
    add('LakeFormationDataAccess', ['lakeformation:GetDataAccess'], ['*']);

    const policy = this.role.node.tryFindChild('DefaultPolicy') as Construct;
    const ack = (resource: string, reason: string) => acknowledgeWildcardResource(policy, resource, reason);
    ack(
      '*',
      'lakeformation:GetDataAccess and X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions; every other statement is scoped',
    );
    const objects = (bucket: s3.IBucket, suffix: string) => bucket.arnForObjects(suffix);
    ack(objects(props.bucket, `${LAKE_PREFIXES.raw}*`), 'read-only on the raw table prefix: the hour being closed');
    ack(
      objects(props.bucket, `${LAKE_PREFIXES.compacted}*`),
      'the compacted table prefix: the job writes each hour and removes the objects it replaces',
    );
    ack(
      objects(props.bucket, `${LAKE_PREFIXES.staging}*`),
      'the job-owned staging prefix: Athena writes a run there and the job removes it after promoting',
    );
    ack(objects(props.bucket, `${LAKE_PREFIXES.manifests}*`), 'write-only on the job-owned manifest prefix');
    ack(
      objects(props.bucket, `${LAKE_PREFIXES.manifests}*/_promoting-*`),
      'delete only the in-progress markers under the manifest prefix, never manifests',
    );
  }

  private addAlarms(
    props: CompactionProps,
    stage: string,
  ): { errors: cloudwatch.Alarm; unclosed: cloudwatch.Alarm; missingIds: cloudwatch.Alarm } {
    const metric = (name: string, statistic: string, period = Duration.hours(1)) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: name,
        dimensionsMap: { service: METRICS_SERVICE, stage },
        statistic,
        period,
      });

    const errors = this.function
      .metricErrors({ period: Duration.minutes(5), statistic: 'Sum' })
      .createAlarm(this, 'ErrorsAlarm', {
        alarmDescription:
          'A compaction run failed (Athena FAILED/CANCELLED, counts not balancing, S3 error). The hour keeps its previous objects; see the function log, then re-run with npm run compact.',
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });

    // A scheduled run reports the lag of the newest closed hour; no report at all means nothing was closed.
    const hours = props.unclosedAlarmHours;
    const unclosed = metric(METRIC.closedHourLag, 'Minimum').createAlarm(this, 'UnclosedHourAlarm', {
      alarmDescription: `No hour was closed for ${hours} hour(s): the newest compacted hour is older than ${hours} h. Usage after it is provisional.`,
      threshold: hours * 3600,
      evaluationPeriods: hours,
      datapointsToAlarm: hours,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });

    const missingIds = metric(METRIC.rowsWithoutRequestId, 'Sum').createAlarm(this, 'MissingRequestIdAlarm', {
      alarmDescription:
        'Raw rows without a requestId were compacted: they cannot be deduplicated and usage does not bill them. Check the access-log format and the raw objects of the hour in the manifest.',
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    notifyOn(props.alarmTopic, [errors, unclosed, missingIds]);

    props.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Compaction: rows per hour',
        left: [
          metric(METRIC.rowsIn, 'Sum'),
          metric(METRIC.rowsWritten, 'Sum'),
          metric(METRIC.duplicatesDropped, 'Sum'),
          metric(METRIC.rowsWithoutRequestId, 'Sum'),
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Compaction: bytes scanned and closed-hour lag',
        left: [metric(METRIC.bytesScanned, 'Sum')],
        right: [metric(METRIC.closedHourLag, 'Minimum')],
        rightAnnotations: [{ value: hours * 3600, label: 'unclosed alarm' }],
        width: 12,
      }),
      new cloudwatch.AlarmStatusWidget({
        title: 'Compaction alarms',
        alarms: [errors, unclosed, missingIds],
        width: 24,
      }),
    );
    return { errors, unclosed, missingIds };
  }
}
