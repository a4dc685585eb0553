import { Aws, DefaultStackSynthesizer, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { REVIEW_ENV } from '../../tools/change-review/env';

export interface ChangeReviewStepProps {
  /** The repository checkout that holds `tools/change-review`. */
  readonly input: pipelines.IFileSetProducer;
  /** The synthesized cloud assembly (the synth step's `cdk.out`). */
  readonly cloudAssembly: pipelines.IFileSetProducer;
  /** Stage whose promotion is reviewed. */
  readonly stageName: string;
  /** Hierarchical ids of the stage's stacks in the assembly, e.g. `Pipeline/prod/Data`. */
  readonly stackIds: readonly string[];
  /** Account the stage deploys to: the diff reads the deployed templates there. */
  readonly account: string;
  /** Region the stage deploys to. */
  readonly region: string;
  /** Bucket the summary is published to. */
  readonly bucket: s3.IBucket;
  /** Key of that bucket. */
  readonly encryptionKey: kms.IKey;
  /** Key prefix of this stage's summaries, e.g. `change-review/prod`. */
  readonly objectPrefix: string;
}

/**
 * The bootstrap lookup role of an environment: read-only, and trusted by the
 * toolchain account through `cdk bootstrap --trust`.
 */
export function lookupRoleArn(account: string, region: string): string {
  return `arn:${Aws.PARTITION}:iam::${account}:role/cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-lookup-role-${account}-${region}`;
}

/**
 * Diffs what a stage would get against what it runs (`cdk diff --method template`
 * through the target's read-only lookup role), turns that into a summary that
 * calls out replacements, deletions and IAM changes, and publishes it where the
 * approval's review link points.
 */
export class ChangeReviewStep extends pipelines.CodeBuildStep {
  constructor(id: string, props: ChangeReviewStepProps) {
    const objects = props.bucket.arnForObjects(`${props.objectPrefix}/*`);
    super(id, {
      input: props.input,
      additionalInputs: { 'cdk.out': props.cloudAssembly },
      commands: [
        'npm ci',
        `npx tsx tools/change-review/cli.ts --app cdk.out ${props.stackIds.map((s) => `'${s}'`).join(' ')}`,
      ],
      env: {
        [REVIEW_ENV.stage]: props.stageName,
        [REVIEW_ENV.bucket]: props.bucket.bucketName,
        [REVIEW_ENV.prefix]: props.objectPrefix,
        [REVIEW_ENV.executionId]: '#{codepipeline.PipelineExecutionId}',
        CDK_DISABLE_CLI_TELEMETRY: 'true',
      },
      rolePolicyStatements: [
        // Only the lookup role: the diff reads deployed templates and never changes anything.
        new iam.PolicyStatement({
          actions: ['sts:AssumeRole'],
          resources: [lookupRoleArn(props.account, props.region)],
        }),
        new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [objects] }),
        new iam.PolicyStatement({
          actions: ['kms:GenerateDataKey', 'kms:Encrypt'],
          resources: [props.encryptionKey.keyArn],
        }),
      ],
      timeout: Duration.minutes(20),
    });
  }
}
