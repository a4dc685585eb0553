import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ERROR_FIREHOSE_PREFIX, LAKE_PREFIXES, RAW_FIREHOSE_PREFIX } from '../lake/tables';
import { notifyOn } from './lib/alarms';
import { acknowledgeWildcardResource } from './lib/nag';

export interface AccessLogDeliveryProps {
  /** Stream name; API Gateway requires the `amazon-apigateway-` prefix. */
  readonly streamName: string;
  /** Lake bucket the stream delivers to. */
  readonly bucket: s3.IBucket;
  /** Key that encrypts the stream and the objects it writes. */
  readonly encryptionKey: kms.IKey;
  /** Firehose buffer size, 1-128 MiB. */
  readonly bufferSizeMiB: number;
  /** Firehose buffer interval, 0-900 s. */
  readonly bufferIntervalSeconds: number;
  /** Retention of the delivery-error log group, in days. */
  readonly logRetentionDays: number;
  /** Topic the delivery alarms notify. */
  readonly alarmTopic: sns.ITopic;
  /** Dashboard that gets the delivery widgets. */
  readonly dashboard: cloudwatch.Dashboard;
  /**
   * How much older than the buffer interval the oldest undelivered record may
   * get before the freshness alarm fires.
   * @default 300 seconds
   */
  readonly freshnessMarginSeconds?: number;
}

const STREAM_NAME_PREFIX = 'amazon-apigateway-';

/** Firehose DirectPut stream that turns API access logs into gzip JSON under `raw/` in the lake. */
export class AccessLogDelivery extends Construct {
  readonly deliveryStream: firehose.DeliveryStream;
  /** Role Firehose writes to the lake with: `raw/` and `errors/` only. */
  readonly role: iam.Role;
  /** Delivery errors (S3 or KMS failures) Firehose reports. */
  readonly errorLogGroup: logs.LogGroup;
  readonly freshnessAlarm: cloudwatch.Alarm;
  readonly deliverySuccessAlarm: cloudwatch.Alarm;
  readonly throttledRecordsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: AccessLogDeliveryProps) {
    super(scope, id);
    if (!props.streamName.startsWith(STREAM_NAME_PREFIX)) {
      throw new Error(
        `delivery stream name ${JSON.stringify(props.streamName)} must start with "${STREAM_NAME_PREFIX}": API Gateway delivers access logs only to such streams`,
      );
    }
    const stack = Stack.of(this);
    const { bucket, encryptionKey } = props;

    this.errorLogGroup = new logs.LogGroup(this, 'Errors', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const errorLogStream = this.errorLogGroup.addStream('S3Delivery');
    const errorLogStreamArn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `${this.errorLogGroup.logGroupName}:log-stream:${errorLogStream.logStreamName}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    // The L2 S3 destination grants read-write (delete included) on the whole
    // bucket and key; Firehose needs only to write its two prefixes.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: `Firehose ${props.streamName} writes raw/ and errors/ of the lake`,
    });
    const objectArns = [
      bucket.arnForObjects(`${LAKE_PREFIXES.raw}*`),
      bucket.arnForObjects(`${LAKE_PREFIXES.errors}*`),
    ];
    const policy = new iam.Policy(this, 'Policy', {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'Bucket',
          actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
          resources: [bucket.bucketArn],
        }),
        new iam.PolicyStatement({
          sid: 'Objects',
          actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
          resources: objectArns,
        }),
        new iam.PolicyStatement({
          sid: 'ObjectEncryption',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [encryptionKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` },
            // Bucket keys use the bucket ARN as context, per-object keys the object ARN.
            StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucket.bucketArn, ...objectArns] },
          },
        }),
        new iam.PolicyStatement({
          sid: 'DeliveryErrors',
          actions: ['logs:PutLogEvents'],
          resources: [errorLogStreamArn],
        }),
      ],
    });
    for (const arn of objectArns) {
      acknowledgeWildcardResource(
        policy,
        arn,
        'Firehose names each object it writes (arrival-hour partition, stream name, timestamp, random suffix), so object access is granted per prefix: raw/ and errors/ of the lake bucket only.',
      );
    }

    this.deliveryStream = new firehose.DeliveryStream(this, 'Stream', {
      deliveryStreamName: props.streamName,
      destination: {
        bind: () => ({
          extendedS3DestinationConfiguration: {
            bucketArn: bucket.bucketArn,
            roleArn: this.role.roleArn,
            prefix: RAW_FIREHOSE_PREFIX,
            errorOutputPrefix: ERROR_FIREHOSE_PREFIX,
            compressionFormat: firehose.Compression.GZIP.value,
            bufferingHints: { intervalInSeconds: props.bufferIntervalSeconds, sizeInMBs: props.bufferSizeMiB },
            encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: encryptionKey.keyArn } },
            cloudWatchLoggingOptions: {
              enabled: true,
              logGroupName: this.errorLogGroup.logGroupName,
              logStreamName: errorLogStream.logStreamName,
            },
          },
          // The stream must not start delivering before its role may write.
          dependables: [policy],
        }),
      },
    });
    // Server-side encryption of the stream itself. Set on the resource rather
    // than through the L2 `encryption` prop, which adds a role with broad key
    // permissions that a DirectPut stream never uses: Firehose creates its own
    // KMS grant for the key.
    const cfnStream = this.deliveryStream.node.defaultChild as firehose.CfnDeliveryStream;
    cfnStream.deliveryStreamEncryptionConfigurationInput = {
      keyType: 'CUSTOMER_MANAGED_CMK',
      keyArn: encryptionKey.keyArn,
    };

    const metric = (metricName: string, statistic: string, label: string) =>
      this.deliveryStream.metric(metricName, { statistic, period: Duration.minutes(5), label });
    const freshness = metric('DeliveryToS3.DataFreshness', cloudwatch.Stats.MAXIMUM, 'Oldest record not in S3 (s)');
    const success = metric('DeliveryToS3.Success', cloudwatch.Stats.MINIMUM, 'S3 put success ratio');
    const throttled = metric('ThrottledRecords', cloudwatch.Stats.SUM, 'Throttled records');
    const incoming = metric('IncomingRecords', cloudwatch.Stats.SUM, 'Incoming records');
    const freshnessThreshold = props.bufferIntervalSeconds + (props.freshnessMarginSeconds ?? 300);

    // Missing data means no records arrived, which is not a delivery problem:
    // a quiet environment must not page anyone.
    this.freshnessAlarm = freshness.createAlarm(this, 'FreshnessAlarm', {
      alarmDescription: `Access logs of ${props.streamName} wait more than ${freshnessThreshold} s (buffer interval + margin) to reach S3: metering data is late.`,
      threshold: freshnessThreshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // Firehose retries failed puts for 24 h, so one failed put is noise; 15
    // minutes of failures means data is piling up.
    this.deliverySuccessAlarm = success.createAlarm(this, 'DeliverySuccessAlarm', {
      alarmDescription: `${props.streamName} failed S3 puts for 15 minutes (check the delivery error log group and the key/bucket permissions).`,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // A throttled record is an access-log line, and so a billable request, that may be lost.
    this.throttledRecordsAlarm = throttled.createAlarm(this, 'ThrottledRecordsAlarm', {
      alarmDescription: `${props.streamName} throttled records: access logs (billable requests) may be lost; raise the Firehose quota.`,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    notifyOn(props.alarmTopic, [this.freshnessAlarm, this.deliverySuccessAlarm, this.throttledRecordsAlarm]);

    props.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Access-log delivery freshness (s)',
        left: [freshness],
        leftAnnotations: [{ value: freshnessThreshold, label: 'alarm' }],
        width: 8,
      }),
      new cloudwatch.GraphWidget({ title: 'Access-log records', left: [incoming], right: [throttled], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'S3 delivery success', left: [success], width: 8 }),
    );
  }
}
