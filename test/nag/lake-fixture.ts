import { type App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LakeCatalog } from '../../src/constructs/lake-catalog';
import { LakeSetup, type LakeSetupProps } from '../../src/constructs/lake-setup';
import { testApp } from '../helpers/cdk';

export const ACCOUNT = '111111111111';
const env = { account: ACCOUNT, region: 'eu-west-1' };

/**
 * The two lake constructs in a data stack and a service stack, as the stage
 * wires them, with stand-ins (key, buckets, roles) for what other constructs own.
 */
export function lakeApp(overrides: Partial<LakeSetupProps> = {}, app: App = testApp()) {
  const data = new Stack(app, 'Data', { env });
  const key = new kms.Key(data, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
  const accessLogs = new s3.Bucket(data, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  });
  const lake = new s3.Bucket(data, 'Lake', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    serverAccessLogsBucket: accessLogs,
  });
  const catalog = new LakeCatalog(data, 'Catalog', {
    databaseName: 'metering_dev',
    keepData: false,
    encryptionKey: key,
    resultsExpirationDays: 7,
    accessLogsBucket: accessLogs,
  });
  const service = new Stack(app, 'Service', { env });
  const compactionRole = new iam.Role(service, 'CompactionRole', {
    roleName: 'metering-dev-compaction',
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  const smokeRole = new iam.Role(service, 'SmokeRole', {
    roleName: 'metering-dev-smoke-test',
    assumedBy: new iam.AccountRootPrincipal(),
  });
  const setup = new LakeSetup(service, 'LakeSetup', {
    handlerRoleName: 'metering-dev-lake-setup',
    analystRoleName: 'metering-dev-analyst',
    databaseName: catalog.databaseName,
    bucket: lake,
    encryptionKey: key,
    resultsBucket: catalog.resultsBucket,
    workgroupName: 'metering-dev',
    bytesScannedCutoffPerQuery: 1_000_000_000,
    compactionRole,
    readerPrincipalArns: [`arn:aws:iam::${ACCOUNT}:role/finance-reader`],
    rawReaders: [smokeRole],
    logRetentionDays: 30,
    ...overrides,
  });
  return { app, data, service, catalog, setup, compactionRole, smokeRole, lake, key };
}
