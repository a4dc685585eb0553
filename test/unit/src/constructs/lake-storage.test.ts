import { Match, type Template } from 'aws-cdk-lib/assertions';
import { exampleMeteringStage, exampleStage, templateOf } from '../../../helpers/cdk';

function data(name: string): Template {
  return templateOf(exampleMeteringStage(name).data);
}

const buckets = (t: Template) => Object.entries(t.findResources('AWS::S3::Bucket'));
const lakeBucket = (t: Template) => {
  const found = buckets(t).filter(([id]) => id.startsWith('LakeBucket'));
  expect(found).toHaveLength(1);
  return found[0]?.[1];
};
const rule = (t: Template, id: string) =>
  lakeBucket(t)?.Properties.LifecycleConfiguration.Rules.find((r: { Id: string }) => r.Id === id);

describe('LakeStorage', () => {
  const dev = exampleStage('dev');
  const prod = exampleStage('prod');
  let devData: Template;
  let prodData: Template;
  beforeAll(() => {
    devData = data('dev');
    prodData = data('prod');
  });

  it('encrypts the lake with a customer-managed key that rotates', () => {
    devData.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const lake = lakeBucket(devData);
    expect(lake?.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]).toMatchObject({
      ServerSideEncryptionByDefault: {
        SSEAlgorithm: 'aws:kms',
        KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^LakeKey/), 'Arn'] },
      },
      BucketKeyEnabled: true,
    });
  });

  it.each(['dev', 'prod'])(
    'every lake bucket of %s is encrypted, versioned, TLS-only and blocks public access',
    (name) => {
      const t = name === 'dev' ? devData : prodData;
      const all = buckets(t).filter(([id]) => id.startsWith('Lake'));
      expect(all).toHaveLength(2);
      const policies = Object.values(t.findResources('AWS::S3::BucketPolicy'));
      for (const [id, bucket] of all) {
        expect(bucket.Properties.BucketEncryption).toBeDefined();
        expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
        expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        const policy = policies.find((p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: id }));
        expect(policy?.Properties.PolicyDocument.Statement).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        );
      }
    },
  );

  it('logs lake access to the separate, S3-encrypted access-log bucket', () => {
    const [logsId, logsBucket] = buckets(devData).find(([id]) => id.startsWith('LakeAccessLogs')) ?? [];
    expect(logsBucket?.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]).toMatchObject({
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
    });
    expect(lakeBucket(devData)?.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logsId },
      LogFilePrefix: 'lake/',
    });
  });

  it('expires raw data after the env retention, and compacted data only when configured', () => {
    expect(rule(devData, 'expire-raw')).toMatchObject({ Prefix: 'raw/', ExpirationInDays: dev.retention.rawDataDays });
    expect(rule(prodData, 'expire-raw')).toMatchObject({ ExpirationInDays: prod.retention.rawDataDays });
    expect(rule(devData, 'expire-compacted')).toMatchObject({
      Prefix: 'compacted/',
      ExpirationInDays: dev.retention.compactedDataDays,
    });
    expect(prod.retention.compactedDataDays).toBeUndefined();
    expect(rule(prodData, 'expire-compacted')).toBeUndefined();
    expect(rule(devData, 'expire-compaction-staging')).toMatchObject({
      Prefix: 'compaction-staging/',
      ExpirationInDays: 2,
    });
  });

  it('cleans up old versions, delete markers and incomplete uploads', () => {
    expect(rule(prodData, 'housekeeping')).toMatchObject({
      NoncurrentVersionExpiration: { NoncurrentDays: 7 },
      ExpiredObjectDeleteMarker: true,
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
    });
  });

  it('retains the key and buckets where config keeps data, without emptying them', () => {
    for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket']) {
      for (const r of Object.values(prodData.findResources(type))) {
        expect(r).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      }
    }
    expect(Object.keys(prodData.findResources('Custom::S3AutoDeleteObjects'))).toHaveLength(0);
  });

  it('deletes and empties the buckets of a throw-away env', () => {
    for (const r of Object.values(devData.findResources('AWS::S3::Bucket'))) {
      expect(r.DeletionPolicy).toBe('Delete');
    }
    expect(Object.keys(devData.findResources('Custom::S3AutoDeleteObjects')).length).toBeGreaterThanOrEqual(2);
  });

  it('lets CloudWatch alarms use the key for the encrypted alarm topic, from this account only', () => {
    devData.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Condition: { StringEquals: { 'aws:SourceAccount': dev.account } },
          }),
        ]),
      },
    });
  });
});
