import type * as sns from 'aws-cdk-lib/aws-sns';
import * as pipelines from 'aws-cdk-lib/pipelines';

/** Action name of every approval; the approver policy names it in the action ARN. */
export const APPROVAL_ACTION_NAME = 'Approve';

export interface ApprovalStepProps {
  /** Stage being promoted. */
  readonly stageName: string;
  /** Console URL of the change-review summary. */
  readonly reviewUrl: string;
  /** Topic the approval request goes to. */
  readonly notificationTopic: sns.ITopic;
  /** The review that must have run (and published) before anyone is asked. */
  readonly review: pipelines.Step;
}

/**
 * The manual gate before a stage. It waits for the change review, so the
 * review link always shows the summary of the execution being approved.
 */
export class ApprovalStep extends pipelines.ManualApprovalStep {
  constructor(props: ApprovalStepProps) {
    super(APPROVAL_ACTION_NAME, {
      comment:
        `Promote to ${props.stageName}? Open the review link: the summary lists resource replacements, ` +
        'deletions and IAM changes. Check that its pipeline execution id matches this one before approving.',
      reviewUrl: props.reviewUrl,
      notificationTopic: props.notificationTopic,
    });
    this.addStepDependency(props.review);
  }
}
