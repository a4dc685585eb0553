import { Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Compaction } from '../../src/constructs/compaction';
import { testApp } from '../helpers/cdk';

test('the compaction job passes AwsSolutions checks with only reasoned acknowledgements', () => {
  const app = testApp();
  // The lake lives in another stack in the app, as in MeteringStage, so the policy references are imports.
  const data = new Stack(app, 'Data', { env: { account: '111111111111', region: 'eu-west-1' } });
  const key = new kms.Key(data, 'Key', { enableKeyRotation: true });
  const logs = new s3.Bucket(data, 'Logs', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
  const bucket = new s3.Bucket(data, 'Lake', {
    encryptionKey: key,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    serverAccessLogsBucket: logs,
  });
  const results = new s3.Bucket(data, 'Results', {
    encryptionKey: key,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    serverAccessLogsBucket: logs,
  });
  Validations.of(logs).acknowledge({ id: 'AwsSolutions-S1', reason: 'test fixture: the access-log bucket itself' });
  const stack = new Stack(app, 'Service', { env: { account: '111111111111', region: 'eu-west-1' } });
  new Compaction(stack, 'Compaction', {
    roleName: 'metering-dev-compaction',
    bucket,
    encryptionKey: key,
    databaseName: 'metering_dev',
    workgroupName: 'metering-dev',
    resultsBucket: results,
    schedule: 'cron(20 * * * ? *)',
    lagMinutes: 15,
    unclosedAlarmHours: 3,
    logRetentionDays: 14,
    stageName: 'dev',
    alarmTopic: new sns.Topic(stack, 'Topic', { masterKey: key, enforceSSL: true }),
    dashboard: new cloudwatch.Dashboard(stack, 'Dashboard'),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  expect(() => app.synth()).not.toThrow();
});
