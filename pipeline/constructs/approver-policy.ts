import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from '../../src/constructs/lib/nag';

/** One manual approval action of the pipeline. */
export interface ApprovalAction {
  /** Pipeline stage that holds the action (the CDK Pipelines stage name). */
  readonly stageName: string;
  /** The action's name. */
  readonly actionName: string;
  /** Key prefix of the change reviews that belong to this approval. */
  readonly reviewPrefix: string;
}

export interface ApproverPolicyProps {
  /** Fixed name, so the policy can be found and audited by name. */
  readonly managedPolicyName: string;
  /** Name of the pipeline. */
  readonly pipelineName: string;
  /** The approval actions approvers may answer. */
  readonly approvals: readonly ApprovalAction[];
  /**
   * IAM roles and users that may approve. They must be in this stack's account:
   * CodePipeline has no resource policies, so nobody outside the account can
   * answer an approval except through a role in it.
   */
  readonly approverPrincipalArns: readonly string[];
  /** Bucket holding the change reviews. */
  readonly reviewBucket: s3.IBucket;
  /** Key of that bucket. */
  readonly reviewKey: kms.IKey;
}

const PRINCIPAL_ARN = /^arn:[a-z-]+:iam::(\d{12}):(role|user)\/(.+)$/;

/**
 * The managed policy approvers hold: answer exactly the pipeline's approval
 * actions, see the pipeline, and read the change reviews behind them.
 * It is attached here to every configured approver.
 */
export class ApproverPolicy extends Construct {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: ApproverPolicyProps) {
    super(scope, id);
    if (props.approvals.length === 0) throw new Error('ApproverPolicy: expected at least one approval action');
    const stack = Stack.of(this);
    const pipelineArn = stack.formatArn({ service: 'codepipeline', resource: props.pipelineName });
    const actionArns = props.approvals.map((a) =>
      stack.formatArn({
        service: 'codepipeline',
        resource: props.pipelineName,
        resourceName: `${a.stageName}/${a.actionName}`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
    );
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      managedPolicyName: props.managedPolicyName,
      description: `Approve or reject promotions in pipeline ${props.pipelineName}`,
      statements: [
        new iam.PolicyStatement({
          sid: 'AnswerApprovals',
          actions: ['codepipeline:PutApprovalResult'],
          resources: actionArns,
        }),
        new iam.PolicyStatement({
          sid: 'SeePipeline',
          actions: [
            'codepipeline:GetPipeline',
            'codepipeline:GetPipelineState',
            'codepipeline:GetPipelineExecution',
            'codepipeline:ListPipelineExecutions',
            'codepipeline:ListActionExecutions',
          ],
          resources: [pipelineArn],
        }),
        new iam.PolicyStatement({
          sid: 'ReadChangeReviews',
          actions: ['s3:GetObject', 's3:GetObjectVersion'],
          resources: props.approvals.map((a) => props.reviewBucket.arnForObjects(`${a.reviewPrefix}/*`)),
        }),
        new iam.PolicyStatement({
          sid: 'DecryptChangeReviews',
          actions: ['kms:Decrypt'],
          resources: [props.reviewKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
        }),
      ],
    });

    for (const a of props.approvals) {
      acknowledgeWildcardResource(
        this.policy,
        props.reviewBucket.arnForObjects(`${a.reviewPrefix}/*`),
        "Read only the change reviews of this approval's stage; their names carry the execution id.",
      );
    }

    props.approverPrincipalArns.forEach((arn, i) => {
      const m = PRINCIPAL_ARN.exec(arn);
      if (!m) throw new Error(`approver ${arn}: expected an IAM role or user ARN`);
      const [, account, kind] = m;
      if (!Token.isUnresolved(stack.account) && account !== stack.account) {
        throw new Error(
          `approver ${arn} is in account ${account}, but the pipeline is in account ${stack.account}: ` +
            `CodePipeline approvals can only be answered from the pipeline's account. List a role in ${stack.account} ` +
            'that the approvers assume (config/pipeline.json approval.approverPrincipals).',
        );
      }
      if (kind === 'role') this.policy.attachToRole(iam.Role.fromRoleArn(this, `Approver${i}`, arn, { mutable: true }));
      else this.policy.attachToUser(iam.User.fromUserArn(this, `Approver${i}`, arn));
    });
  }
}
