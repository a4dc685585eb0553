import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type * as codebuild from 'aws-cdk-lib/aws-codebuild';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as pipelines from 'aws-cdk-lib/pipelines';
import type { IConstruct } from 'constructs';
import { acknowledgeWildcardResource } from '../../src/constructs/lib/nag';

/**
 * cdk-nag acknowledgements for the IAM policies CDK Pipelines generates. Each
 * finding is acknowledged by its exact id on the one policy that has it, with
 * the reason the wildcard is bounded; anything new or broader still fails synth.
 */

export interface PipelineFindingsProps {
  /** The role shared by the smoke-test builds. */
  readonly smokeStepRole: iam.IRole;
  /** The smoke-test steps (their projects' log groups and report groups). */
  readonly smokeSteps: readonly pipelines.CodeBuildStep[];
  /** The change-review steps. */
  readonly reviewSteps: readonly pipelines.CodeBuildStep[];
  /** Bucket the change reviews write to. */
  readonly reviewBucket: s3.IBucket;
  /** Key prefixes the change reviews write under, one per review step. */
  readonly reviewPrefixes: readonly string[];
}

interface Finding {
  readonly id: string;
  readonly reason: string;
}

const iam5 = (what: string, reason: string): Finding => ({ id: `AwsSolutions-IAM5[${what}]`, reason });

export function acknowledgePipelineFindings(pipeline: pipelines.CodePipeline, props: PipelineFindingsProps): void {
  const stack = Stack.of(pipeline);
  const ref = (c: IConstruct) => stack.getLogicalId(c.node.defaultChild as CfnElement);
  const cp = pipeline.pipeline;
  const artifactBucket = ref(cp.artifactBucket);
  const arn = (service: string, resource: string) =>
    `arn:${stack.partition}:${service}:${stack.region}:${stack.account}:${resource}`;

  const artifactRead = [
    iam5('Action::s3:GetObject*', 'Read grant on the pipeline artifact bucket only (CDK Pipelines grantRead).'),
    iam5('Action::s3:GetBucket*', 'Read grant on the pipeline artifact bucket only (CDK Pipelines grantRead).'),
    iam5('Action::s3:List*', 'Read grant on the pipeline artifact bucket only (CDK Pipelines grantRead).'),
    iam5(
      `Resource::<${artifactBucket}.Arn>/*`,
      'Objects of the pipeline artifact bucket, whose keys are per execution and not known in advance.',
    ),
  ];
  const artifactWrite = [
    iam5('Action::s3:Abort*', 'Write grant on the pipeline artifact bucket only (CDK Pipelines grantReadWrite).'),
    iam5(
      'Action::s3:DeleteObject*',
      'Write grant on the pipeline artifact bucket only (CDK Pipelines grantReadWrite).',
    ),
  ];
  const artifactKey = [
    iam5('Action::kms:GenerateDataKey*', 'Only on the pipeline artifact key: encrypts artifacts.'),
    iam5('Action::kms:ReEncrypt*', 'Only on the pipeline artifact key: re-encrypts artifacts.'),
  ];
  const buildOutput = (project: codebuild.IProject) => [
    iam5(
      `Resource::${arn('codebuild', `report-group/<${ref(project)}>-*`)}`,
      'Report groups CodeBuild creates per build under this project name.',
    ),
    iam5(
      `Resource::${arn('logs', `log-group:/aws/codebuild/<${ref(project)}>:*`)}`,
      'Log streams CodeBuild creates per build in this project log group.',
    ),
  ];

  acknowledge(cp.role, [...artifactRead, ...artifactWrite, ...artifactKey]);

  const sourceStage = cp.stages[0];
  for (const action of sourceStage.actions) {
    const role = cp.node.tryFindChild(sourceStage.stageName)?.node.tryFindChild(action.actionProperties.actionName);
    acknowledge(role?.node.tryFindChild('CodePipelineActionRole'), [...artifactRead, ...artifactWrite, ...artifactKey]);
  }

  const synth = pipeline.synthProject;
  acknowledge(synth.role, [...artifactRead, ...artifactWrite, ...artifactKey, ...buildOutput(synth)]);

  const selfMutation = pipeline.selfMutationProject;
  acknowledge(selfMutation.role, [
    ...artifactRead,
    ...artifactKey,
    ...buildOutput(selfMutation),
    iam5(
      'Resource::*',
      'cloudformation:DescribeStacks and s3:ListBucket for cdk deploy of the pipeline stack, as CDK Pipelines generates.',
    ),
    iam5(
      `Resource::arn:*:iam::${stack.account}:role/*`,
      'sts:AssumeRole only on roles tagged aws-cdk:bootstrap-role (file/image publishing, deploy): the bootstrap roles.',
    ),
  ]);

  const assets = pipeline.node.tryFindChild('Assets');
  acknowledge(assets?.node.tryFindChild('FileRole'), [
    ...artifactRead,
    iam5(
      'Resource::*',
      'codebuild:StartBuild/BatchGetBuilds/StopBuild: CDK Pipelines uses this role as the action role.',
    ),
    iam5(
      `Resource::${arn('codebuild', 'report-group/*')}`,
      'One role for all asset projects, whose names CDK Pipelines derives; report groups are per build.',
    ),
    iam5(
      `Resource::${arn('logs', 'log-group:/aws/codebuild/*')}`,
      'One role for all asset projects, whose names CDK Pipelines derives; log streams are per build.',
    ),
  ]);

  acknowledge(props.smokeStepRole, [
    ...artifactRead,
    ...artifactKey,
    ...props.smokeSteps.flatMap((s) => buildOutput(s.project)),
  ]);

  props.reviewSteps.forEach((step, i) => {
    acknowledge(step.project.role, [...artifactRead, ...artifactKey, ...buildOutput(step.project)]);
    acknowledgeWildcardResource(
      step.project.role?.node.tryFindChild('DefaultPolicy') ?? step.project,
      props.reviewBucket.arnForObjects(`${props.reviewPrefixes[i]}/*`),
      "s3:PutObject only under this stage's change-review prefix; object names carry the execution id.",
    );
  });

  // A stage in another region than the pipeline gets a CodePipeline support stack there,
  // holding an artifact replication bucket and key whose names this stack only knows as literals.
  for (const [region, support] of Object.entries(cp.crossRegionSupport)) {
    if (region === stack.region) continue;
    const bucket = support.replicationBucket;
    // The bucket's generated name is only known once references resolve.
    acknowledgeWildcardResource(
      cp.role.node.tryFindChild('DefaultPolicy') ?? cp.role,
      bucket.arnForObjects('*'),
      `Objects of the pipeline's artifact replication bucket in ${region} (CodePipeline's cross-region support stack); artifact keys are per execution.`,
    );
    acknowledge(cp.role, [
      iam5(
        'Resource::*',
        `KMS actions for the replication bucket key in ${region}, which lives in the support stack and is referenced by alias; its key policy limits it to this pipeline.`,
      ),
    ]);
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: `CodePipeline's own artifact replication bucket in ${region}: KMS-encrypted, TLS-only, holds transient pipeline artifacts written and read only by the pipeline role.`,
    });
  }

  for (const stage of cp.stages) {
    for (const action of stage.actions) {
      if (action.actionProperties.category !== 'Approval') continue;
      const role = cp.node.tryFindChild(stage.stageName)?.node.tryFindChild(action.actionProperties.actionName);
      acknowledge(role?.node.tryFindChild('CodePipelineActionRole'), [
        iam5(
          'Action::kms:GenerateDataKey*',
          'Only on the notification topic key: publishing to the encrypted approval topic.',
        ),
      ]);
    }
  }
}

/** Acknowledges on the default policy of a role (the narrowest construct holding the finding). */
function acknowledge(scope: IConstruct | undefined, findings: readonly Finding[]): void {
  if (!scope)
    throw new Error('expected a CDK Pipelines role to acknowledge findings on; has CDK Pipelines changed its tree?');
  const target = scope.node.tryFindChild('DefaultPolicy') ?? scope;
  const seen = new Set<string>();
  for (const f of findings) {
    if (seen.has(f.id)) continue;
    seen.add(f.id);
    Validations.of(target).acknowledge(f);
  }
}
