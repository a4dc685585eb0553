import { databaseName, deliveryStreamName } from '../src/config/naming';

/**
 * The CloudFormation execution policy of one stage account, for
 * `cdk bootstrap --cloudformation-execution-policies`. Instead of
 * AdministratorAccess it allows the services this app deploys, each on the
 * names this app's stacks produce (`<app>-<stage>-*`: fixed names and the names
 * CloudFormation generates from the stack name).
 *
 * Trade-off, stated: resources whose ARNs carry generated ids (KMS keys, user
 * pools, REST APIs) and Lake Formation (no resource-level permissions) cannot
 * be narrowed by name, and a role that may create IAM roles can in principle
 * create a role more powerful than itself: pair it with a permissions boundary
 * (`cdk bootstrap --custom-permissions-boundary`) where that matters.
 */

export interface ExecutionPolicyOptions {
  readonly appName: string;
  readonly stageName: string;
  readonly account: string;
  readonly region: string;
  /** @default 'aws' */
  readonly partition?: string;
}

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
}

/**
 * CloudFormation resource-type prefix → the statement that covers it. A unit
 * test checks that every type the stage templates contain is listed here.
 */
export const COVERED_TYPE_PREFIXES: Readonly<Record<string, string>> = {
  'AWS::S3::': 'S3',
  'AWS::KMS::': 'Kms',
  'AWS::IAM::': 'Iam',
  'AWS::Lambda::': 'Lambda',
  'AWS::Logs::': 'Logs',
  'AWS::ApiGateway::': 'ApiGateway',
  'AWS::Cognito::': 'Cognito',
  'AWS::KinesisFirehose::': 'Firehose',
  'AWS::Glue::': 'Glue',
  'AWS::Athena::': 'Athena',
  'AWS::LakeFormation::': 'LakeFormation',
  'AWS::SNS::': 'Sns',
  'AWS::SQS::': 'Sqs',
  'AWS::Events::': 'Events',
  'AWS::Scheduler::': 'Scheduler',
  'AWS::CloudWatch::': 'CloudWatch',
  'AWS::CloudFormation::CustomResource': 'Lambda',
  'Custom::': 'Lambda',
};

export function executionPolicy(o: ExecutionPolicyOptions): { Version: '2012-10-17'; Statement: PolicyStatement[] } {
  const p = o.partition ?? 'aws';
  const prefix = `${o.appName}-${o.stageName}`;
  const arn = (service: string, resource: string, region = o.region, account = o.account) =>
    `arn:${p}:${service}:${region}:${account}:${resource}`;
  const db = databaseName(o.appName, o.stageName);
  const allow = (Sid: string, Action: string[], Resource: string[]): PolicyStatement => ({
    Sid,
    Effect: 'Allow',
    Action,
    Resource,
  });
  return {
    Version: '2012-10-17',
    Statement: [
      allow('S3', ['s3:*'], [`arn:${p}:s3:::${prefix}-*`, `arn:${p}:s3:::${prefix}-*/*`]),
      allow('KmsCreate', ['kms:CreateKey', 'kms:ListAliases'], ['*']),
      allow('Kms', ['kms:*'], [arn('kms', 'key/*'), arn('kms', `alias/${prefix}-*`)]),
      allow(
        'Iam',
        ['iam:*'],
        [`arn:${p}:iam::${o.account}:role/${prefix}-*`, `arn:${p}:iam::${o.account}:policy/${prefix}-*`],
      ),
      allow('Lambda', ['lambda:*'], [arn('lambda', `function:${prefix}-*`)]),
      allow('Logs', ['logs:*'], [arn('logs', 'log-group:*')]),
      allow('ApiGateway', ['apigateway:*'], [`arn:${p}:apigateway:${o.region}::/*`]),
      allow('CognitoCreate', ['cognito-idp:CreateUserPool'], ['*']),
      allow('Cognito', ['cognito-idp:*'], [arn('cognito-idp', 'userpool/*')]),
      allow(
        'Firehose',
        ['firehose:*'],
        [arn('firehose', `deliverystream/${deliveryStreamName(o.appName, o.stageName)}`)],
      ),
      allow(
        'Glue',
        [
          'glue:CreateDatabase',
          'glue:UpdateDatabase',
          'glue:DeleteDatabase',
          'glue:GetDatabase',
          'glue:GetDatabases',
          'glue:GetTable',
          'glue:GetTables',
          'glue:DeleteTable',
        ],
        [
          arn('glue', 'catalog'),
          arn('glue', `database/${db}`),
          arn('glue', `table/${db}/*`),
          arn('glue', `userDefinedFunction/${db}/*`),
        ],
      ),
      allow('Athena', ['athena:*'], [arn('athena', `workgroup/${prefix}`)]),
      allow(
        'LakeFormation',
        [
          'lakeformation:GetDataLakeSettings',
          'lakeformation:PutDataLakeSettings',
          'lakeformation:GrantPermissions',
          'lakeformation:RevokePermissions',
          'lakeformation:ListPermissions',
        ],
        ['*'],
      ),
      allow('Sns', ['sns:*'], [arn('sns', `${prefix}-*`)]),
      allow('Sqs', ['sqs:*'], [arn('sqs', `${prefix}-*`)]),
      allow('Events', ['events:*'], [arn('events', `rule/${prefix}-*`)]),
      allow(
        'Scheduler',
        ['scheduler:*'],
        [arn('scheduler', `schedule/*/${prefix}-*`), arn('scheduler', `schedule-group/${prefix}-*`)],
      ),
      allow(
        'CloudWatch',
        ['cloudwatch:*'],
        [arn('cloudwatch', `alarm:${prefix}-*`), `arn:${p}:cloudwatch::${o.account}:dashboard/${prefix}*`],
      ),
    ],
  };
}
