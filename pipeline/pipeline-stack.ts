import { Aws, Stack, type StackProps } from 'aws-cdk-lib';
import { PipelineType } from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as pipelines from 'aws-cdk-lib/pipelines';
import type { Construct } from 'constructs';
import * as naming from '../src/config/naming';
import type { ProjectConfig } from '../src/config/schema';
import { MeteringStage } from '../src/metering-stage';
import { latestKey } from '../tools/change-review/env';
import { AccessLogsBucket } from './constructs/access-logs-bucket';
import { type ApprovalAction, ApproverPolicy } from './constructs/approver-policy';
import { ChangeReviewBucket, reviewPrefix } from './constructs/change-review-bucket';
import { acknowledgePipelineFindings } from './constructs/nag-acknowledgements';
import { PipelineNotifications } from './constructs/notifications';
import { SmokeStepRole } from './constructs/smoke-step-role';
import { APPROVAL_ACTION_NAME, ApprovalStep } from './steps/approval-step';
import { CDK_ASSETS_VERSION, codeBuildDefaults } from './steps/build-environment';
import { ChangeReviewStep } from './steps/change-review-step';
import { SmokeTestStep } from './steps/smoke-test-step';
import { SynthStep } from './steps/synth-step';

/** Name of the pipeline (approval action ARNs and the approver policy depend on it). */
export const pipelineName = (appName: string) => `${appName}-pipeline`;

/** Name of the managed policy that approvers hold. */
export const approverPolicyName = (appName: string) => `${appName}-pipeline-approver`;

export interface PipelineStackProps extends StackProps {
  /** Validated project config: source, toolchain and the stages in promotion order. */
  readonly config: ProjectConfig;
  /** CDK CLI version used by self-mutation and asset publishing. */
  readonly cliVersion: string;
}

/**
 * The self-mutating pipeline that promotes the metering app through every
 * configured stage, in config order: deploy, then smoke test; stages that need
 * approval get a change review and a manual approval before their first deploy.
 */
export class PipelineStack extends Stack {
  readonly pipeline: pipelines.CodePipeline;
  /** The application stages, in promotion order. */
  readonly stages: readonly MeteringStage[];
  readonly notifications: PipelineNotifications;
  readonly reviews: ChangeReviewBucket;
  readonly smokeStepRole: SmokeStepRole;
  /** Present when at least one stage needs approval (always, since prod must). */
  readonly approverPolicy?: ApproverPolicy;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { pipeline: p, stages } = props.config;
    const name = pipelineName(p.appName);

    const source = pipelines.CodePipelineSource.connection(p.source.repository, p.source.branch, {
      connectionArn: p.source.connectionArn,
      triggerOnPush: true,
    });
    const synth = new SynthStep('Synth', { input: source });
    this.pipeline = new pipelines.CodePipeline(this, 'Pipeline', {
      pipelineName: name,
      pipelineType: PipelineType.V2,
      synth,
      selfMutation: true,
      cliVersion: props.cliVersion,
      cdkAssetsCliVersion: CDK_ASSETS_VERSION,
      crossAccountKeys: true,
      enableKeyRotation: true,
      publishAssetsInParallel: false,
      dockerEnabledForSynth: false,
      dockerEnabledForSelfMutation: false,
      codeBuildDefaults: codeBuildDefaults(),
    });

    const accessLogs = new AccessLogsBucket(this, 'AccessLogs');
    this.reviews = new ChangeReviewBucket(this, 'ChangeReviews', { accessLogsBucket: accessLogs.bucket });
    this.notifications = new PipelineNotifications(this, 'Notifications', {
      approvalEmails: p.approval.notificationEmails,
      pipelineEmails: p.notificationEmails,
    });
    this.smokeStepRole = new SmokeStepRole(this, 'SmokeStep', {
      roleName: naming.smokeStepRoleName(p.appName),
      smokeTestRoleArns: stages.map(
        (s) => `arn:${Aws.PARTITION}:iam::${s.account}:role/${naming.smokeTestRoleName(p.appName, s.stageName)}`,
      ),
    });

    const approvals: ApprovalAction[] = [];
    const reviewSteps: ChangeReviewStep[] = [];
    const smokeSteps: SmokeTestStep[] = [];
    this.stages = stages.map((stage) => {
      const app = new MeteringStage(this, stage.stageName, {
        appName: p.appName,
        config: stage,
        toolchainAccount: p.toolchain.account,
      });
      const smoke = new SmokeTestStep('SmokeTest', {
        input: source,
        stage,
        outputs: app.outputs,
        role: this.smokeStepRole.role,
      });
      smokeSteps.push(smoke);
      const deployment = this.pipeline.addStage(app, { post: [smoke] });

      if (stage.manualApproval) {
        const prefix = reviewPrefix(stage.stageName);
        const review = new ChangeReviewStep('ChangeReview', {
          input: source,
          cloudAssembly: synth,
          stageName: stage.stageName,
          stackIds: [app.data, app.service].map((s) => s.node.path),
          account: stage.account,
          region: stage.region,
          bucket: this.reviews.bucket,
          encryptionKey: this.reviews.key,
          objectPrefix: prefix,
        });
        const approval = new ApprovalStep({
          stageName: stage.stageName,
          reviewUrl: this.reviews.consoleUrl(latestKey(prefix)),
          notificationTopic: this.notifications.approvalTopic,
          review,
        });
        deployment.addPre(review, approval);
        reviewSteps.push(review);
        approvals.push({ stageName: deployment.stageName, actionName: APPROVAL_ACTION_NAME, reviewPrefix: prefix });
      }
      return app;
    });

    this.pipeline.buildPipeline();
    this.notifications.watch(this.pipeline.pipeline);
    logArtifactBucket(this.pipeline.pipeline.artifactBucket, accessLogs.bucket);

    if (approvals.length > 0) {
      this.approverPolicy = new ApproverPolicy(this, 'Approvers', {
        managedPolicyName: approverPolicyName(p.appName),
        pipelineName: name,
        approvals,
        approverPrincipalArns: p.approval.approverPrincipals,
        reviewBucket: this.reviews.bucket,
        reviewKey: this.reviews.key,
      });
    }

    acknowledgePipelineFindings(this.pipeline, {
      smokeStepRole: this.smokeStepRole.role,
      smokeSteps,
      reviewSteps,
      reviewBucket: this.reviews.bucket,
      reviewPrefixes: approvals.map((a) => a.reviewPrefix),
    });
  }
}

/** CDK Pipelines creates the artifact bucket; give it server access logs like every other bucket. */
function logArtifactBucket(artifactBucket: s3.IBucket, target: s3.IBucket): void {
  const prefix = 'artifacts/';
  const cfn = artifactBucket.node.defaultChild as s3.CfnBucket;
  cfn.loggingConfiguration = { destinationBucketName: target.bucketName, logFilePrefix: prefix };
  target.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'ArtifactBucketAccessLogs',
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [target.arnForObjects(`${prefix}*`)],
      conditions: {
        ArnLike: { 'aws:SourceArn': artifactBucket.bucketArn },
        StringEquals: { 'aws:SourceAccount': Stack.of(target).account },
      },
    }),
  );
}
