import type * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as notifications from 'aws-cdk-lib/aws-codestarnotifications';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** CodeStar Notifications event ids of a pipeline. */
export const PIPELINE_EVENTS = {
  executionFailed: 'codepipeline-pipeline-pipeline-execution-failed',
  manualApprovalNeeded: 'codepipeline-pipeline-manual-approval-needed',
} as const;

export interface PipelineNotificationsProps {
  /** Addresses asked to approve promotions; they also hear about failed executions. */
  readonly approvalEmails: readonly string[];
  /**
   * Addresses told about failed executions and waiting approvals. Addresses that
   * are also approval addresses are left out here, so nobody gets a message twice.
   * @default - none
   */
  readonly pipelineEmails?: readonly string[];
}

/**
 * Where the pipeline's people hear from it: an approval topic (the approval
 * request itself, with its review and approve links, comes from CodePipeline)
 * and a pipeline topic, both encrypted with one key. Binding a topic to a
 * notification rule lets CodeStar Notifications publish to it and use the key.
 */
export class PipelineNotifications extends Construct {
  readonly key: kms.Key;
  /** Approval requests; subscribers are the approval addresses. */
  readonly approvalTopic: sns.Topic;
  /** Failed executions and waiting approvals, for the rest of the team. */
  readonly pipelineTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: PipelineNotificationsProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: 'Encrypts the pipeline notification topics',
    });
    const approvalEmails = [...new Set(props.approvalEmails)];
    const pipelineEmails = [...new Set(props.pipelineEmails ?? [])].filter((e) => !approvalEmails.includes(e));
    this.approvalTopic = this.topic('ApprovalTopic', 'Pipeline approval requests', approvalEmails);
    this.pipelineTopic = this.topic('PipelineTopic', 'Pipeline failures and waiting approvals', pipelineEmails);
  }

  /**
   * Notification rules on the pipeline: a failed execution goes to both topics,
   * a waiting approval to the pipeline topic (approvers get CodePipeline's own request).
   */
  watch(pipeline: codepipeline.IPipeline): void {
    new notifications.NotificationRule(this, 'ExecutionFailed', {
      source: pipeline,
      events: [PIPELINE_EVENTS.executionFailed],
      targets: [this.pipelineTopic, this.approvalTopic],
      detailType: notifications.DetailType.FULL,
    });
    new notifications.NotificationRule(this, 'ApprovalNeeded', {
      source: pipeline,
      events: [PIPELINE_EVENTS.manualApprovalNeeded],
      targets: [this.pipelineTopic],
      detailType: notifications.DetailType.FULL,
    });
  }

  private topic(id: string, displayName: string, emails: readonly string[]): sns.Topic {
    const topic = new sns.Topic(this, id, { displayName, masterKey: this.key, enforceSSL: true });
    for (const email of emails) topic.addSubscription(new subscriptions.EmailSubscription(email));
    return topic;
  }
}
