import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

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
}

/** Firehose DirectPut stream that turns API access logs into gzip JSON under `raw/` in the lake. */
export class AccessLogDelivery extends Construct {
  readonly deliveryStream: firehose.DeliveryStream;

  constructor(scope: Construct, id: string, props: AccessLogDeliveryProps) {
    super(scope, id);
    this.deliveryStream = new firehose.DeliveryStream(this, 'Stream', {
      deliveryStreamName: props.streamName,
      destination: new firehose.S3Bucket(props.bucket, { dataOutputPrefix: 'raw/', errorOutputPrefix: 'errors/' }),
    });
  }
}
