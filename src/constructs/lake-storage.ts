import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { LAKE_PREFIXES } from '../lake/tables';

export interface LakeStorageProps {
  /**
   * Keep the buckets, their objects and the key when the stack is deleted.
   * When false the buckets are emptied and removed with the stack (throw-away envs only).
   */
  readonly keepData: boolean;
  /** Days raw JSON objects (and Firehose error objects) are kept. */
  readonly rawDataDays: number;
  /** Days compacted Parquet objects are kept. @default kept while the bucket exists */
  readonly compactedDataDays?: number;
  /**
   * Days an overwritten or deleted object version is kept before it is removed.
   * @default 7
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Days compaction staging objects are kept; a run moves them within the hour,
   * so anything older is left over from a failed run.
   * @default 2
   */
  readonly stagingDays?: number;
  /** Days server access log objects are kept. @default 90 */
  readonly accessLogDays?: number;
}

/** The metering lake: a customer-managed key, the lake bucket and its server-access-log bucket. */
export class LakeStorage extends Construct {
  /** Encrypts the lake bucket, the delivery stream and the Athena results. */
  readonly key: kms.Key;
  /** Raw access logs, compacted Parquet, compaction staging and manifests. */
  readonly bucket: s3.Bucket;
  /** Target of S3 server access logging for the lake's buckets. */
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: LakeStorageProps) {
    super(scope, id);
    const removalPolicy = props.keepData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const autoDeleteObjects = !props.keepData;
    const noncurrentVersionExpiration = Duration.days(props.noncurrentVersionDays ?? 7);
    // Removes old versions, leftover delete markers and abandoned uploads, which
    // otherwise keep costing money after the current object expired.
    const housekeeping: s3.LifecycleRule = {
      id: 'housekeeping',
      noncurrentVersionExpiration,
      expiredObjectDeleteMarker: true,
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    };

    this.key = new kms.Key(this, 'Key', {
      description: `Metering lake of ${Stack.of(this).stackName}: bucket, delivery stream, query results, alarm topic`,
      enableKeyRotation: true,
      removalPolicy,
      pendingWindow: Duration.days(30),
    });
    // CloudWatch alarms publish to the alarm topic, which this key encrypts.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );

    // Log delivery only writes to buckets with S3-managed encryption.
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        { id: 'expire-access-logs', expiration: Duration.days(props.accessLogDays ?? 90) },
        housekeeping,
      ],
      removalPolicy,
      autoDeleteObjects,
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the server-access-log target of the lake buckets; logging it to itself would log every log write.',
    });

    const expire = (prefix: string, days: number): s3.LifecycleRule => ({
      id: `expire-${prefix.replace(/\/$/, '')}`,
      prefix,
      expiration: Duration.days(days),
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      // One data key per bucket rather than per object: Firehose and Athena write
      // many small objects, and each would otherwise be a KMS call.
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'lake/',
      lifecycleRules: [
        expire(LAKE_PREFIXES.raw, props.rawDataDays),
        expire(LAKE_PREFIXES.errors, props.rawDataDays),
        ...(props.compactedDataDays === undefined ? [] : [expire(LAKE_PREFIXES.compacted, props.compactedDataDays)]),
        expire(LAKE_PREFIXES.staging, props.stagingDays ?? 2),
        housekeeping,
      ],
      removalPolicy,
      autoDeleteObjects,
    });
  }
}
