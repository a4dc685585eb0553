import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LakeCatalog } from '../../../../src/constructs/lake-catalog';
import { testApp } from '../../../helpers/cdk';
import { lakeApp } from '../../../nag/lake-fixture';

const { data } = lakeApp();
const template = Template.fromStack(data);

describe('LakeCatalog', () => {
  test('a database whose new tables are governed by Lake Formation, not IAMAllowedPrincipals', () => {
    template.hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: Match.objectLike({ Name: 'metering_dev', CreateTableDefaultPermissions: [] }),
    });
  });

  test('results bucket: KMS, TLS only, no public access, results expire', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
          }),
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 7, Status: 'Enabled' })]),
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('rejects a database name that is not a SQL identifier, and a non-positive expiry', () => {
    const stack = new Stack(testApp(), 'S');
    const key = new kms.Key(stack, 'K');
    const logs = new s3.Bucket(stack, 'L');
    const props = {
      databaseName: 'metering_dev',
      keepData: true,
      encryptionKey: key,
      resultsExpirationDays: 7,
      accessLogsBucket: logs,
    };
    expect(() => new LakeCatalog(stack, 'A', { ...props, databaseName: 'metering-dev' })).toThrow(
      /invalid database name/,
    );
    expect(() => new LakeCatalog(stack, 'B', { ...props, resultsExpirationDays: 0 })).toThrow(/positive integer/);
  });

  test('keepData retains the database and the results bucket', () => {
    const stack = new Stack(testApp(), 'S');
    new LakeCatalog(stack, 'C', {
      databaseName: 'metering_prod',
      keepData: true,
      encryptionKey: new kms.Key(stack, 'K'),
      resultsExpirationDays: 30,
      accessLogsBucket: new s3.Bucket(stack, 'L'),
    });
    const t = Template.fromStack(stack);
    t.hasResource('AWS::Glue::Database', { DeletionPolicy: 'Retain' });
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ LifecycleConfiguration: Match.anyValue() }),
    });
  });
});
