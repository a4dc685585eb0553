import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface LakeStorageProps {
  /**
   * Keep the buckets, their objects and the key when the stack is deleted.
   * When false the buckets are emptied and removed with the stack (throw-away envs only).
   */
  readonly keepData: boolean;
  /** Days raw JSON objects are kept. */
  readonly rawDataDays: number;
  /** Days compacted Parquet objects are kept. @default kept while the bucket exists */
  readonly compactedDataDays?: number;
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
    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true, removalPolicy });
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy,
      autoDeleteObjects: !props.keepData,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      removalPolicy,
      autoDeleteObjects: !props.keepData,
    });
  }
}
