import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NODE_RUNTIME, NodeFunction } from '../../../../../src/constructs/lib/node-function';
import { testApp } from '../../../../helpers/cdk';

const entry = path.join(__dirname, '..', '..', '..', '..', '..', 'src', 'runtime', 'pre-sign-up', 'handler.ts');

describe('NodeFunction', () => {
  const stack = new Stack(testApp(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  new NodeFunction(stack, 'Own', { entry, logRetentionDays: 14 });
  const given = new iam.Role(stack, 'Given', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  new NodeFunction(stack, 'WithRole', { entry, logRetentionDays: 30, role: given, useRuntimeSdk: true });
  const t = Template.fromStack(stack);

  it('runs on the newest Node.js runtime, arm64, with X-Ray and JSON logs', () => {
    expect(NODE_RUNTIME.name).toBe('nodejs24.x');
    t.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      {
        Runtime: NODE_RUNTIME.name,
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
      },
      2,
    );
  });

  it('keeps logs for the configured retention', () => {
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('gives its own role no AWS managed policy, only writes to its own log group', () => {
    const roles = t.findResources('AWS::IAM::Role');
    for (const role of Object.values(roles)) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OwnLogs'), 'Arn'] },
          }),
        ]),
      },
    });
  });

  it('uses a given role as is', () => {
    t.hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Given'), 'Arn'] },
    });
  });
});
