import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Key prefix under which a stage's change reviews are kept. */
export const reviewPrefix = (stageName: string) => `change-review/${stageName}`;

export interface ChangeReviewBucketProps {
  /** Where S3 server access logs of this bucket go. */
  readonly accessLogsBucket: s3.IBucket;
  /**
   * Days a per-execution summary is kept (the record of what was approved).
   * @default 400
   */
  readonly retentionDays?: number;
}

/**
 * Holds the change-review summaries approvers read: KMS-encrypted, TLS-only,
 * private, versioned (an overwritten summary can still be read back).
 */
export class ChangeReviewBucket extends Construct {
  readonly key: kms.Key;
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ChangeReviewBucketProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: 'Encrypts the pipeline change-review summaries',
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'change-review/',
      lifecycleRules: [
        { expiration: Duration.days(props.retentionDays ?? 400), noncurrentVersionExpiration: Duration.days(30) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Console page of an object, for the approval's review link. */
  consoleUrl(key: string): string {
    const region = Stack.of(this).region;
    return `https://${region}.console.aws.amazon.com/s3/object/${this.bucket.bucketName}?region=${region}&bucketType=general&prefix=${key}`;
  }
}
