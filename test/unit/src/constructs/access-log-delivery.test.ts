import { App, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AccessLogDelivery } from '../../../../src/constructs/access-log-delivery';
import { ERROR_FIREHOSE_PREFIX, RAW_FIREHOSE_PREFIX } from '../../../../src/lake/tables';
import { exampleMeteringStage, exampleStage, templateOf } from '../../../helpers/cdk';

function service(name: string, overrides: Parameters<typeof exampleStage>[1] = {}): Template {
  return templateOf(exampleMeteringStage(name, overrides).service);
}

/** The one alarm on a metric, with its statistic, whether given plainly or as a labelled metric stat. */
function alarmOn(template: Template, namespace: string, metricName: string) {
  const found = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
    .map((r) => r.Properties)
    .map((p) => {
      const stat = p.Metrics?.[0]?.MetricStat;
      const metric = stat?.Metric ?? p;
      return { ...p, MetricName: metric.MetricName, Namespace: metric.Namespace, Stat: stat?.Stat ?? p.Statistic };
    })
    .filter((p) => p.Namespace === namespace && p.MetricName === metricName);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('AccessLogDelivery', () => {
  const dev = exampleStage('dev');
  let template: Template;
  let slower: Template;
  beforeAll(() => {
    template = service('dev');
    // Same env with a longer buffer: the freshness alarm must follow config.
    slower = service('dev', { firehose: { bufferSizeMiB: 8, bufferIntervalSeconds: 600 } });
  });

  it('is a DirectPut stream named with the prefix API Gateway requires, encrypted with the lake key', () => {
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'amazon-apigateway-metering-dev',
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: Match.anyValue() },
    });
  });

  it('writes gzip JSON to the partitioned raw/ and errors/ prefixes with buffering from config', () => {
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        Prefix: RAW_FIREHOSE_PREFIX,
        ErrorOutputPrefix: ERROR_FIREHOSE_PREFIX,
        CompressionFormat: 'GZIP',
        BufferingHints: {
          IntervalInSeconds: dev.firehose.bufferIntervalSeconds,
          SizeInMBs: dev.firehose.bufferSizeMiB,
        },
        EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: Match.anyValue() } },
        CloudWatchLoggingOptions: { Enabled: true, LogGroupName: Match.anyValue(), LogStreamName: Match.anyValue() },
      }),
    });
    expect(RAW_FIREHOSE_PREFIX).toBe(
      'raw/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/',
    );
    expect(ERROR_FIREHOSE_PREFIX).toContain('!{firehose:error-output-type}');
  });

  it('logs delivery errors to a log group with the env retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: dev.retention.logDays });
    template.resourceCountIs('AWS::Logs::LogStream', 1);
  });

  it('lets Firehose write only raw/ and errors/: no delete, no other prefix', () => {
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('AccessLogDeliveryRole') }] },
    });
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.sort()).toEqual(
      [
        's3:GetBucketLocation',
        's3:ListBucket',
        's3:ListBucketMultipartUploads',
        's3:AbortMultipartUpload',
        's3:GetObject',
        's3:PutObject',
        'kms:GenerateDataKey',
        'kms:Decrypt',
        'logs:PutLogEvents',
      ].sort(),
    );
    const objects = statements.find((s) => s.Sid === 'Objects');
    const suffixes = JSON.stringify(objects.Resource);
    expect(suffixes).toContain('/raw/*');
    expect(suffixes).toContain('/errors/*');
    expect(objects.Resource).toHaveLength(2);
  });

  it('alarms when data is staler than the buffer interval plus the margin, following config', () => {
    expect(alarmOn(template, 'AWS/Firehose', 'DeliveryToS3.DataFreshness')).toMatchObject({
      Threshold: dev.firehose.bufferIntervalSeconds + 300,
      ComparisonOperator: 'GreaterThanThreshold',
      Stat: 'Maximum',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: expect.stringMatching(/^MonitoringAlarmTopic/) }],
    });
    expect(alarmOn(slower, 'AWS/Firehose', 'DeliveryToS3.DataFreshness').Threshold).toBe(600 + 300);
  });

  it('alarms on failed S3 puts and on throttled records, without paging a quiet env', () => {
    expect(alarmOn(template, 'AWS/Firehose', 'DeliveryToS3.Success')).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(alarmOn(template, 'AWS/Firehose', 'ThrottledRecords')).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Stat: 'Sum',
      TreatMissingData: 'notBreaching',
    });
  });

  it('rejects a stream name API Gateway would not deliver to', () => {
    const stack = new Stack(new App(), 'S');
    expect(
      () =>
        new AccessLogDelivery(stack, 'D', {
          streamName: 'metering-dev',
          bucket: new s3.Bucket(stack, 'B'),
          encryptionKey: new kms.Key(stack, 'K'),
          bufferSizeMiB: 1,
          bufferIntervalSeconds: 60,
          logRetentionDays: 1,
          alarmTopic: new sns.Topic(stack, 'T'),
          dashboard: new cloudwatch.Dashboard(stack, 'Dash'),
        }),
    ).toThrow(/must start with "amazon-apigateway-"/);
  });
});
