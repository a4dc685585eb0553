import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseCdkDiff } from '../../../../tools/change-review/parse';
import { findings, renderSummary, verdict } from '../../../../tools/change-review/summary';

// Real `cdk diff --no-color` output of the CLI in package-lock.json (prod stacks against edited templates).
const fixture = (name: string) => readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

describe('parseCdkDiff', () => {
  test('finds replacements with their cause, deletions, additions and the IAM tables', () => {
    const [stack] = parseCdkDiff(fixture('data-replacement.txt'));
    expect(stack).toMatchObject({ displayName: 'prod/Data', stackName: 'metering-prod-data', differences: true });
    expect(stack.resources).toEqual([
      {
        kind: 'remove',
        type: 'AWS::SNS::Topic',
        logicalId: 'LegacyTopic',
        path: undefined,
        impact: 'destroy',
        replacementCauses: [],
      },
      {
        kind: 'add',
        type: 'AWS::IAM::Role',
        logicalId: 'UsersPreSignUpFunctionServiceRole135B5720',
        path: 'Data/Users/PreSignUp/Function/ServiceRole',
        impact: 'none',
        replacementCauses: [],
      },
      {
        kind: 'modify',
        type: 'AWS::S3::Bucket',
        logicalId: 'LakeAccessLogs4431AB8D',
        path: 'Data/Lake/AccessLogs',
        impact: 'replace',
        replacementCauses: ['BucketName'],
      },
      {
        kind: 'modify',
        type: 'AWS::S3::BucketPolicy',
        logicalId: 'LakeAccessLogsPolicy002342CC',
        path: 'Data/Lake/AccessLogs/Policy',
        impact: 'replace',
        replacementCauses: ['Bucket'],
      },
    ]);
    expect(stack.securityTables).toHaveLength(2);
    expect(stack.securityTables[0]).toMatch(/^IAM Statement Changes\n[\s\S]*sts:AssumeRole[\s\S]*└/);
    expect(stack.securityTables[1]).toMatch(/^IAM Policy Changes\n[\s\S]*AWSLambdaBasicExecutionRole/);
  });

  test('keeps construct paths that contain spaces', () => {
    const [stack] = parseCdkDiff(fixture('service-iam.txt'));
    expect(stack.resources.map((r) => [r.path, r.logicalId, r.impact])).toEqual([
      [
        'Service/AccessLogDelivery/Stream/S3 Destination Role/DefaultPolicy',
        'AccessLogDeliveryStreamS3DestinationRoleDefaultPolicyC7F68BC3',
        'none',
      ],
      ['Service/AccessLogDelivery/Stream/LogGroup', 'AccessLogDeliveryStreamLogGroup5598CFFD', 'none'],
      ['Service/AccessLogDelivery/Stream', 'AccessLogDeliveryStreamB6FB58A9', 'replace'],
    ]);
    expect(stack.resources[2].replacementCauses).toEqual(['DeliveryStreamType']);
  });

  test('reports a stack without differences as such, and several stacks in order', () => {
    const stacks = parseCdkDiff(`${fixture('data-replacement.txt')}\n${fixture('no-differences.txt')}`);
    expect(stacks.map((s) => [s.displayName, s.differences])).toEqual([
      ['prod/Data', true],
      ['prod/Service', false],
    ]);
  });

  test('reads "may be replaced", orphan and import impacts', () => {
    const [stack] = parseCdkDiff(
      [
        'Stack Pipeline/prod/Service (metering-prod-service)',
        'Resources',
        '[~] AWS::Lambda::Function Service/Fn FnABC may be replaced',
        ' └─ [~] Code (may cause replacement)',
        '[-] AWS::Logs::LogGroup Service/Logs LogsABC orphan',
        '[←] AWS::S3::Bucket Service/Imported ImportedABC import',
        'Outputs',
        '[+] Output ApiUrl ApiUrl: {"Value":"x"}',
      ].join('\n'),
    );
    expect(stack.resources.map((r) => [r.kind, r.impact, r.replacementCauses])).toEqual([
      ['modify', 'may-replace', ['Code']],
      ['remove', 'orphan', []],
      ['import', 'import', []],
    ]);
  });
});

describe('summary', () => {
  const ctx = {
    stageName: 'prod',
    executionId: 'a1b2c3d4-0000-4000-8000-000000000000',
    generatedAt: new Date('2025-01-02T03:04:05Z'),
  };

  test('calls out stateful replacements, deletions and IAM changes first', () => {
    const raw = fixture('data-replacement.txt');
    const stacks = parseCdkDiff(raw);
    const f = findings(stacks);
    expect(f.dataAtRisk.map((x) => x.change.logicalId)).toEqual(['LakeAccessLogs4431AB8D']);
    expect(f.deletions.map((x) => x.change.logicalId)).toEqual(['LegacyTopic']);
    expect(f.iamResources.map((x) => x.change.logicalId)).toEqual(['UsersPreSignUpFunctionServiceRole135B5720']);
    expect(verdict(f)).toBe(
      'Attention: 1 stateful resource(s) replaced or deleted (DATA AT RISK), 2 replacement(s), 1 deletion(s), IAM/security changes.',
    );
    const md = renderSummary(stacks, ctx, raw);
    expect(md).toContain('# Change review: prod');
    expect(md).toContain('Pipeline execution: `a1b2c3d4-0000-4000-8000-000000000000`');
    expect(md).toContain(
      '- `metering-prod-data`: AWS::S3::Bucket Data/Lake/AccessLogs (LakeAccessLogs4431AB8D): **replace** because of BucketName',
    );
    expect(md).toContain('### metering-prod-data\n\n```text\nIAM Statement Changes');
    expect(md.indexOf('Stateful resources replaced')).toBeLessThan(md.indexOf('## Full diff'));
    expect(md).toContain(raw.trim().split('\n')[0]);
  });

  test('says plainly when nothing changes', () => {
    const stacks = parseCdkDiff(fixture('no-differences.txt'));
    expect(verdict(findings(stacks))).toBe('No changes: the stage already runs exactly this.');
    expect(renderSummary(stacks, ctx, '')).toContain('- `metering-prod-service`: no differences');
  });
});
