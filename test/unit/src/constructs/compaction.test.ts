import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Compaction, type CompactionProps } from '../../../../src/constructs/compaction';
import { testApp } from '../../../helpers/cdk';

const env = { account: '111111111111', region: 'eu-west-1' };

function build(overrides: Partial<CompactionProps> = {}) {
  const app = testApp();
  const stack = new Stack(app, 'Service', { env });
  const key = new kms.Key(stack, 'Key');
  const props: CompactionProps = {
    roleName: 'metering-dev-compaction',
    bucket: new s3.Bucket(stack, 'Lake', { encryptionKey: key }),
    encryptionKey: key,
    databaseName: 'metering_dev',
    workgroupName: 'metering-dev',
    resultsBucket: new s3.Bucket(stack, 'Results', { encryptionKey: key }),
    schedule: 'cron(20 * * * ? *)',
    lagMinutes: 15,
    unclosedAlarmHours: 3,
    logRetentionDays: 14,
    stageName: 'dev',
    alarmTopic: new sns.Topic(stack, 'Topic'),
    dashboard: new cloudwatch.Dashboard(stack, 'Dashboard'),
    ...overrides,
  };
  const compaction = new Compaction(stack, 'Compaction', props);
  return { stack, compaction, props };
}

const { stack } = build();
const template = Template.fromStack(stack);
const statements = () =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) =>
      p.Properties.PolicyDocument.Statement as {
        Sid?: string;
        Action: string | string[];
        Resource: unknown;
        Condition?: unknown;
      }[],
  );
const statement = (sid: string) => {
  const s = statements().find((x) => x.Sid === sid);
  if (!s) throw new Error(`no statement ${sid}`);
  return s;
};

describe('Compaction', () => {
  test('one function, never two at once, with the Lambda maximum timeout and its settings', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 900,
      ReservedConcurrentExecutions: 1,
      Architectures: ['arm64'],
      Environment: {
        Variables: {
          LAKE_DATABASE: 'metering_dev',
          ATHENA_WORKGROUP: 'metering-dev',
          LAG_MINUTES: '15',
          LOOKBACK_HOURS: '24',
          STAGE: 'dev',
          LAKE_BUCKET: Match.anyValue(),
        },
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'metering-dev-compaction' });
  });

  test('runs on the configured schedule', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(20 * * * ? *)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('CompactionJobFunction'), 'Arn'] } })],
    });
  });

  test('no IAM action is a wildcard, and Athena is limited to the workgroup', () => {
    for (const s of statements()) for (const a of [s.Action].flat()) expect(a).not.toContain('*');
    expect(statement('AthenaWorkgroup').Resource).toBe('arn:aws:athena:eu-west-1:111111111111:workgroup/metering-dev');
  });

  test('Glue reads are limited to the database and its three tables; partition writes to staging', () => {
    const glue = 'arn:aws:glue:eu-west-1:111111111111';
    expect(statement('GlueTables').Resource).toEqual([
      `${glue}:catalog`,
      `${glue}:database/metering_dev`,
      `${glue}:table/metering_dev/access_log`,
      `${glue}:table/metering_dev/access_log_raw`,
      `${glue}:table/metering_dev/access_log_staging`,
    ]);
    expect(statement('GlueStagingPartitions').Resource).toEqual([
      `${glue}:catalog`,
      `${glue}:database/metering_dev`,
      `${glue}:table/metering_dev/access_log_staging`,
    ]);
  });

  test('S3 access is per prefix: raw read-only, manifests never deleted except markers', () => {
    const suffix = (sid: string) =>
      ([statement(sid).Resource].flat() as { 'Fn::Join': [string, unknown[]] }[]).map(
        (r) => r['Fn::Join'][1].slice(-1)[0],
      );
    expect(statement('ReadRaw').Action).toBe('s3:GetObject');
    expect(suffix('ReadRaw')).toEqual(['/raw/*']);
    expect(suffix('WriteCompactedAndStaging')).toEqual(['/compacted/*', '/compaction-staging/*']);
    expect(statement('WriteManifests').Action).toBe('s3:PutObject');
    expect(suffix('ClearPromotingMarkers')).toEqual(['/compaction-manifests/*/_promoting-*']);
    expect(statement('ListLakePrefixes').Condition).toEqual({
      StringLike: { 's3:prefix': ['raw/*', 'compacted/*', 'compaction-staging/*', 'compaction-manifests/*'] },
    });
    expect(suffix('QueryResults')).toEqual(['/results/*']);
  });

  test('alarms on errors and on an hour left unclosed (missing data breaches)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('Topic') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Metering/Compaction',
      MetricName: 'ClosedHourLagSeconds',
      Dimensions: Match.arrayWith([
        { Name: 'service', Value: 'compaction' },
        { Name: 'stage', Value: 'dev' },
      ]),
      Statistic: 'Minimum',
      Threshold: 3 * 3600,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('Topic') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'RowsWithoutRequestId',
      Threshold: 0,
      TreatMissingData: 'notBreaching',
    });
  });

  test('a look-back shorter than the alarm threshold is refused', () => {
    expect(() => build({ lookbackHours: 2 })).toThrow(
      'lookbackHours: expected an integer of at least unclosedAlarmHours (3)',
    );
  });
});
