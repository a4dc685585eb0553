import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { cdkDiffArgs, parseArgs } from '../../../../tools/change-review/cli';
import { publishSummary } from '../../../../tools/change-review/publish';

const s3 = mockClient(S3Client);
beforeEach(() => s3.reset());

describe('publishSummary', () => {
  const options = { bucket: 'reviews', prefix: 'change-review/prod', executionId: 'a1b2-c3', body: '# review' };

  test('writes the execution record and the stable key the approval links to', async () => {
    const keys = await publishSummary(new S3Client({}), options);
    expect(keys).toEqual(['change-review/prod/executions/a1b2-c3.md', 'change-review/prod/latest.md']);
    for (const Key of keys) {
      expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
        Bucket: 'reviews',
        Key,
        Body: '# review',
        ContentType: 'text/markdown; charset=utf-8',
        Metadata: { 'pipeline-execution-id': 'a1b2-c3' },
      });
    }
  });

  test('refuses an execution id that CodePipeline did not fill in', async () => {
    await expect(
      publishSummary(new S3Client({}), { ...options, executionId: '#{codepipeline.PipelineExecutionId}' }),
    ).rejects.toThrow(/expected a CodePipeline execution id/);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  test('fails when S3 refuses the write', async () => {
    s3.on(PutObjectCommand).rejects(new Error('AccessDenied'));
    await expect(publishSummary(new S3Client({}), options)).rejects.toThrow('AccessDenied');
  });
});

describe('cli arguments', () => {
  test('diffs exactly the given stacks by template, through the lookup role', () => {
    const args = parseArgs(['--app', 'cdk.out', 'Pipeline/prod/Data', 'Pipeline/prod/Service']);
    expect(cdkDiffArgs(args)).toEqual([
      'cdk',
      'diff',
      '--app',
      'cdk.out',
      '--method',
      'template',
      '--exclusively',
      '--no-color',
      '--no-notices',
      'Pipeline/prod/Data',
      'Pipeline/prod/Service',
    ]);
  });

  test('rejects a missing assembly, no stacks and unknown options', () => {
    expect(() => parseArgs(['Pipeline/prod/Data'])).toThrow('missing --app');
    expect(() => parseArgs(['--app', 'cdk.out'])).toThrow('at least one stack id');
    expect(() => parseArgs(['--app', 'cdk.out', '--fail', 'X'])).toThrow('unknown option --fail');
  });
});
