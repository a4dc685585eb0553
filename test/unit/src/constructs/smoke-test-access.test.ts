import { Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SMOKE_TEST_USER_ACTIONS, SmokeTestAccess } from '../../../../src/constructs/smoke-test-access';
import { RAW_TABLE } from '../../../../src/lake/tables';
import { testApp } from '../../../helpers/cdk';

const env = { account: '111111111111', region: 'eu-west-1' };
const TRUSTED = 'arn:aws:iam::999999999999:role/metering-pipeline-smoke-step';
const POOL_ARN = 'arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_abc123';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
}

/** A stage-like app: the results bucket and key in a data stack, the role in a service stack (as deployed). */
function synth(roundTrip: boolean) {
  const app = testApp();
  const data = new Stack(app, 'Data', { env });
  const key = new kms.Key(data, 'Key', { enableKeyRotation: true });
  const logs = new s3.Bucket(data, 'Logs', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
  const results = new s3.Bucket(data, 'Results', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    serverAccessLogsBucket: logs,
  });
  Validations.of(logs).acknowledge({ id: 'AwsSolutions-S1', reason: 'test fixture: the access-log bucket itself' });
  const service = new Stack(app, 'Service', { env });
  const access = new SmokeTestAccess(service, 'SmokeTest', {
    roleName: 'metering-dev-smoke-test',
    trustedRoleArn: TRUSTED,
    userPool: cognito.UserPool.fromUserPoolArn(service, 'Pool', POOL_ARN),
    roundTrip: roundTrip
      ? { workgroupName: 'metering-dev', databaseName: 'metering_dev', resultsBucket: results, encryptionKey: key }
      : undefined,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  // Throws on any cdk-nag finding that is not acknowledged.
  app.synth();
  const template = Template.fromStack(service);
  const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement,
  );
  return { template, statements, access, service };
}

const actionsOf = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());
const withAction = (statements: Statement[], action: string) =>
  statements.filter((s) => [s.Action].flat().includes(action));

describe('SmokeTestAccess', () => {
  const dev = synth(true);
  const prod = synth(false);

  test.each([
    ['with round trip', dev],
    ['without round trip', prod],
  ])('%s: the role has its fixed name and trusts exactly the pipeline smoke step role', (_, { template }) => {
    const roles = Object.values(template.findResources('AWS::IAM::Role')) as {
      Properties: {
        RoleName: string;
        MaxSessionDuration: number;
        AssumeRolePolicyDocument: { Statement: Statement[] };
      };
    }[];
    expect(roles).toHaveLength(1);
    const { RoleName, MaxSessionDuration, AssumeRolePolicyDocument } = roles[0].Properties;
    expect(RoleName).toBe('metering-dev-smoke-test');
    expect(MaxSessionDuration).toBe(3600);
    expect(AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: TRUSTED } },
    ]);
  });

  test('no action is a wildcard', () => {
    for (const { statements } of [dev, prod]) {
      expect(actionsOf(statements).filter((a) => a.includes('*'))).toEqual([]);
    }
  });

  test('without round trip the role can only manage users in the one pool', () => {
    expect(prod.statements).toEqual([
      { Effect: 'Allow', Action: [...SMOKE_TEST_USER_ACTIONS].sort(), Resource: POOL_ARN },
    ]);
  });

  test('with round trip Athena is limited to the workgroup and Glue to the raw table', () => {
    const athena = withAction(dev.statements, 'athena:StartQueryExecution');
    expect(athena).toHaveLength(1);
    expect(JSON.stringify(athena[0].Resource)).toContain(':workgroup/metering-dev');
    const glue = withAction(dev.statements, 'glue:GetTable');
    const glueResources = JSON.stringify(glue[0].Resource);
    expect(glueResources).toContain(':catalog');
    expect(glueResources).toContain(':database/metering_dev');
    expect(glueResources).toContain(`:table/metering_dev/${RAW_TABLE.name}"`);
    expect(glueResources).not.toContain('*');
    expect(actionsOf(dev.statements)).not.toContain('glue:GetTables');
  });

  test('with round trip S3 object access is limited to the results prefix', () => {
    const objects = withAction(dev.statements, 's3:PutObject');
    expect(objects).toHaveLength(1);
    expect(JSON.stringify(objects[0].Resource)).toMatch(/\/results\/\*"/);
  });

  test('only lakeformation:GetDataAccess has a wildcard resource', () => {
    const wildcard = dev.statements.filter((s) => JSON.stringify(s.Resource) === '"*"');
    expect(actionsOf(wildcard)).toEqual(['lakeformation:GetDataAccess']);
  });

  test('round-trip permissions exist only with round trip', () => {
    for (const action of ['athena:StartQueryExecution', 'glue:GetTable', 's3:GetObject', 'kms:Decrypt']) {
      expect(actionsOf(dev.statements)).toContain(action);
      expect(actionsOf(prod.statements)).not.toContain(action);
    }
    expect(actionsOf(prod.statements).some((a) => a.startsWith('lakeformation:'))).toBe(false);
  });
});
