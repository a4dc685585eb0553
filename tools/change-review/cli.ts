import { spawnSync } from 'node:child_process';
import { S3Client } from '@aws-sdk/client-s3';
import { REVIEW_ENV } from './env';
import { parseCdkDiff } from './parse';
import { publishSummary } from './publish';
import { renderSummary } from './summary';

/**
 * `npx tsx tools/change-review/cli.ts --app cdk.out <stack id>...`
 *
 * Run by the pipeline's change-review step: diffs the stacks against what is
 * deployed (through each target's bootstrap lookup role), prints the summary to
 * the build log and publishes it for the approver. Any failure exits non-zero,
 * which fails the step and so blocks the approval.
 */

export interface CliArgs {
  readonly app: string;
  readonly stackIds: readonly string[];
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const stackIds: string[] = [];
  let app: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--app') {
      app = argv[++i];
      if (!app) throw new Error('--app: expected the cloud assembly directory, e.g. --app cdk.out');
    } else if (argv[i].startsWith('-')) {
      throw new Error(`unknown option ${argv[i]}; usage: cli.ts --app <cdk.out> <stack id>...`);
    } else {
      stackIds.push(argv[i]);
    }
  }
  if (!app) throw new Error('missing --app <cloud assembly directory>');
  if (stackIds.length === 0) throw new Error('expected at least one stack id, e.g. Pipeline/prod/Data');
  return { app, stackIds };
}

/** The `cdk diff` arguments: template comparison only, so only the read-only lookup role is needed. */
export function cdkDiffArgs(args: CliArgs): string[] {
  return [
    'cdk',
    'diff',
    '--app',
    args.app,
    '--method',
    'template',
    '--exclusively',
    '--no-color',
    '--no-notices',
    ...args.stackIds,
  ];
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const stageName = requireEnv(REVIEW_ENV.stage);
  const bucket = requireEnv(REVIEW_ENV.bucket);
  const prefix = requireEnv(REVIEW_ENV.prefix);
  const executionId = requireEnv(REVIEW_ENV.executionId);

  const run = spawnSync('npx', cdkDiffArgs(args), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  if (run.error || run.status !== 0) {
    console.error(output);
    throw new Error(`cdk diff failed (${run.error?.message ?? `exit code ${run.status}`})`);
  }
  const stacks = parseCdkDiff(output);
  if (stacks.length !== args.stackIds.length) {
    console.error(output);
    throw new Error(
      `expected a diff for each of ${args.stackIds.length} stack(s), found ${stacks.length}: has the cdk diff output format changed?`,
    );
  }
  const summary = renderSummary(stacks, { stageName, executionId, generatedAt: new Date() }, output);
  console.log(summary);
  const keys = await publishSummary(new S3Client({}), { bucket, prefix, executionId, body: summary });
  console.log(`Published ${keys.map((k) => `s3://${bucket}/${k}`).join(' and ')}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(`change review failed: ${(e as Error).message}`);
    process.exit(1);
  });
}
