import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { cdkCliVersionFromLockfile } from '../../../pipeline/cli-version';
import { PIPELINE_EVENTS } from '../../../pipeline/constructs/notifications';
import { PipelineStack } from '../../../pipeline/pipeline-stack';
import { ConfigError, loadProjectConfig } from '../../../src/config/load';
import type { ProjectConfig } from '../../../src/config/schema';
import { CONFIG_DIR, exampleConfig, testApp } from '../../helpers/cdk';
import { joined, pipelineStages } from './pipeline-template';

const ROOT = path.join(__dirname, '..', '..', '..');
const CLI_VERSION = cdkCliVersionFromLockfile(path.join(ROOT, 'package-lock.json'));

function build(config: ProjectConfig) {
  const app = testApp();
  return new PipelineStack(app, 'Pipeline', {
    env: { account: config.pipeline.toolchain.account, region: config.pipeline.toolchain.region },
    config,
    cliVersion: CLI_VERSION,
  });
}

const config = exampleConfig();
const prod = config.stages.find((s) => s.stageName === 'prod');
if (!prod) throw new Error('example config has no prod');
const stack = build(config);
const template = Template.fromStack(stack);
const prodStage = pipelineStages(template).find((s) => s.Name === 'prod');
const action = (name: string) => {
  const a = prodStage?.Actions.find((x) => x.Name === name);
  if (!a) throw new Error(`no action ${name} in prod`);
  return a;
};
const projectOf = (actionName: string, stage = 'prod') => {
  const a = pipelineStages(template)
    .find((s) => s.Name === stage)
    ?.Actions.find((x) => x.Name === actionName);
  const project = a?.Configuration?.ProjectName as { Ref: string } | undefined;
  if (!project) throw new Error(`no CodeBuild action ${actionName} in ${stage}`);
  const ref = project.Ref;
  return template.toJSON().Resources[ref];
};
const policiesOfRole = (roleLogicalId: string) =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleLogicalId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);

describe('prod promotion', () => {
  test('the change review runs first, then the approval waits for it, then prod deploys', () => {
    expect(action('ChangeReview').RunOrder).toBe(1);
    expect(action('Approve').RunOrder).toBe(2);
    const deploys = prodStage?.Actions.filter((a) => a.ActionTypeId.Provider === 'CloudFormation') ?? [];
    expect(Math.min(...deploys.map((a) => a.RunOrder ?? 1))).toBe(3);
  });

  test('the review diffs exactly the prod stacks and publishes under the prod prefix for this execution', () => {
    const project = projectOf('ChangeReview');
    const spec = JSON.parse(project.Properties.Source.BuildSpec);
    expect(spec.phases.build.commands).toEqual([
      'npm ci',
      "npx tsx tools/change-review/cli.ts --app cdk.out 'Pipeline/prod/Data' 'Pipeline/prod/Service'",
    ]);
    const env = JSON.parse(action('ChangeReview').Configuration?.EnvironmentVariables as string) as {
      name: string;
      value: string;
    }[];
    expect(env).toContainEqual(
      expect.objectContaining({ name: 'PIPELINE_EXECUTION_ID', value: '#{codepipeline.PipelineExecutionId}' }),
    );
    expect(project.Properties.Environment.EnvironmentVariables).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Name: 'REVIEW_STAGE', Value: 'prod' }),
        expect.objectContaining({ Name: 'REVIEW_PREFIX', Value: 'change-review/prod' }),
      ]),
    );
  });

  test("the review may assume only prod's read-only bootstrap lookup role", () => {
    const project = projectOf('ChangeReview');
    const statements = policiesOfRole(project.Properties.ServiceRole['Fn::GetAtt'][0]);
    const assume = statements.filter((s) => [s.Action].flat().includes('sts:AssumeRole'));
    expect(assume).toHaveLength(1);
    expect(joined(assume[0].Resource)).toBe(
      `arn:aws:iam::${prod.account}:role/cdk-hnb659fds-lookup-role-${prod.account}-${prod.region}`,
    );
  });

  test('the approval has a comment, links to the published summary and notifies the approval topic', () => {
    const cfg = action('Approve').Configuration ?? {};
    expect(cfg.CustomData).toMatch(/replacements.*IAM changes/);
    expect(joined(cfg.ExternalEntityLink)).toMatch(
      /^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/s3\/object\/<ChangeReviewsBucket\w+>\?region=eu-west-1&bucketType=general&prefix=change-review\/prod\/latest\.md$/,
    );
    const topicRef = (cfg.NotificationArn as { Ref: string }).Ref;
    expect(topicRef).toMatch(/^NotificationsApprovalTopic/);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: { Ref: topicRef },
      Protocol: 'email',
      Endpoint: config.pipeline.approval.notificationEmails[0],
    });
  });

  test('the review bucket is KMS-encrypted, private and TLS-only', () => {
    const [id] = Object.keys(
      template.findResources('AWS::S3::Bucket', { Properties: { VersioningConfiguration: { Status: 'Enabled' } } }),
    );
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('approver policy', () => {
  const policies = template.findResources('AWS::IAM::ManagedPolicy');
  const [policy] = Object.values(policies);
  const statements = policy.Properties.PolicyDocument.Statement as {
    Sid: string;
    Action: string | string[];
    Resource: unknown;
  }[];

  test('allows PutApprovalResult only on the prod approval action of this pipeline', () => {
    const put = statements.filter((s) => [s.Action].flat().includes('codepipeline:PutApprovalResult'));
    expect(put).toHaveLength(1);
    expect([put[0].Action].flat()).toEqual(['codepipeline:PutApprovalResult']);
    // The ARN names the stage and action exactly as they exist in the pipeline.
    expect(action('Approve').ActionTypeId.Category).toBe('Approval');
    expect(joined(put[0].Resource)).toBe(
      `arn:aws:codepipeline:eu-west-1:${config.pipeline.toolchain.account}:metering-pipeline/prod/Approve`,
    );
  });

  test('lets approvers see the pipeline and read the prod reviews, nothing else', () => {
    const actions = statements.flatMap((s) => [s.Action].flat()).sort();
    expect(actions).toEqual(
      [
        'codepipeline:GetPipeline',
        'codepipeline:GetPipelineExecution',
        'codepipeline:GetPipelineState',
        'codepipeline:ListActionExecutions',
        'codepipeline:ListPipelineExecutions',
        'codepipeline:PutApprovalResult',
        'kms:Decrypt',
        's3:GetObject',
        's3:GetObjectVersion',
      ].sort(),
    );
    expect(JSON.stringify(statements)).not.toMatch(/"(Action|Resource)":"\*"/);
  });

  test('is attached to the configured approver role', () => {
    expect(policy.Properties.ManagedPolicyName).toBe('metering-pipeline-approver');
    expect(policy.Properties.Roles).toEqual(['ReleaseApprovers']);
  });

  test('rejects an approver outside the toolchain account, with what to do instead', () => {
    const foreign: ProjectConfig = {
      ...config,
      pipeline: {
        ...config.pipeline,
        approval: { ...config.pipeline.approval, approverPrincipals: ['arn:aws:iam::999999999999:role/Approvers'] },
      },
    };
    expect(() => build(foreign)).toThrow(
      /999999999999.*pipeline is in account 444444444444.*List a role in 444444444444/,
    );
  });
});

describe('prod cannot lose its approval', () => {
  test('the config loader rejects prod.json with manualApproval false', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'config-'));
    cpSync(CONFIG_DIR, dir, { recursive: true });
    const file = path.join(dir, 'prod.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), manualApproval: false }));
    expect(() => loadProjectConfig(dir)).toThrow(ConfigError);
    expect(() => loadProjectConfig(dir)).toThrow(/prod\.json.*manualApproval.*manual approval/);
  });
});

describe('smoke tests', () => {
  test('every stage is smoke-tested with its outputs, its region and its round-trip setting', () => {
    for (const stage of config.stages) {
      const smoke = pipelineStages(template)
        .find((s) => s.Name === stage.stageName)
        ?.Actions.find((a) => a.Name === 'SmokeTest');
      const fromOutputs = JSON.parse(smoke?.Configuration?.EnvironmentVariables as string) as {
        name: string;
        value: string;
      }[];
      expect(fromOutputs.map((e) => e.name).sort()).toEqual(
        [
          'METERING_API_URL',
          'METERING_DATABASE',
          'METERING_SMOKE_TEST_ROLE_ARN',
          'METERING_USER_POOL_CLIENT_ID',
          'METERING_USER_POOL_ID',
          'METERING_WORKGROUP',
        ].sort(),
      );
      for (const e of fromOutputs)
        expect(e.value).toMatch(new RegExp(`^#\\{Pipeline${stage.stageName}Service\\w+\\.\\w+\\}$`));
      const project = projectOf('SmokeTest', stage.stageName);
      expect(project.Properties.Environment.EnvironmentVariables).toEqual(
        expect.arrayContaining([
          { Name: 'METERING_REGION', Type: 'PLAINTEXT', Value: stage.region },
          { Name: 'METERING_ROUND_TRIP', Type: 'PLAINTEXT', Value: String(stage.smokeTest.roundTrip) },
          {
            Name: 'METERING_BUFFER_INTERVAL_SECONDS',
            Type: 'PLAINTEXT',
            Value: String(stage.firehose.bufferIntervalSeconds),
          },
        ]),
      );
      expect(JSON.parse(project.Properties.Source.BuildSpec).phases.build.commands).toEqual([
        'npm ci',
        'npm run smoke',
      ]);
    }
  });

  test('all smoke builds run as the fixed-name step role, which may assume only the stage smoke-test roles', () => {
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: { RoleName: 'metering-pipeline-smoke-step' },
    });
    const [roleId] = Object.keys(roles);
    expect(roleId).toBeDefined();
    for (const stage of config.stages) {
      expect(projectOf('SmokeTest', stage.stageName).Properties.ServiceRole).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    }
    const inline = roles[roleId].Properties.Policies.flatMap(
      (p: { PolicyDocument: { Statement: unknown[] } }) => p.PolicyDocument.Statement,
    );
    const assume = [...inline, ...policiesOfRole(roleId)].filter((s) => [s.Action].flat().includes('sts:AssumeRole'));
    expect(assume).toHaveLength(1);
    expect([assume[0].Resource].flat().map(joined).sort()).toEqual(
      config.stages.map((s) => `arn:aws:iam::${s.account}:role/metering-${s.stageName}-smoke-test`).sort(),
    );
  });
});

describe('notifications', () => {
  test('failed executions go to both topics, waiting approvals to the pipeline topic', () => {
    const rules = Object.values(template.findResources('AWS::CodeStarNotifications::NotificationRule')).map(
      (r) => r.Properties,
    );
    const failed = rules.find((r) => r.EventTypeIds.includes(PIPELINE_EVENTS.executionFailed));
    const waiting = rules.find((r) => r.EventTypeIds.includes(PIPELINE_EVENTS.manualApprovalNeeded));
    expect(failed.Targets.map((t: { TargetAddress: { Ref: string } }) => t.TargetAddress.Ref).sort()).toEqual([
      expect.stringMatching(/^NotificationsApprovalTopic/),
      expect.stringMatching(/^NotificationsPipelineTopic/),
    ]);
    expect(waiting.Targets.map((t: { TargetAddress: { Ref: string } }) => t.TargetAddress.Ref)).toEqual([
      expect.stringMatching(/^NotificationsPipelineTopic/),
    ]);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: config.pipeline.notificationEmails[0],
    });
  });

  test('topics are KMS-encrypted and CodeStar Notifications may publish to them', () => {
    const topics = template.findResources('AWS::SNS::Topic');
    expect(Object.keys(topics)).toHaveLength(2);
    for (const t of Object.values(topics)) expect(t.Properties.KmsMasterKeyId).toBeDefined();
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'codestar-notifications.amazonaws.com' } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: 'Encrypts the pipeline notification topics',
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'codestar-notifications.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });
});
