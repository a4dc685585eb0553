import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface MonitoringProps {
  /** Address subscribed to the alarm topic. */
  readonly alarmEmail: string;
  /** Name of the CloudWatch dashboard. */
  readonly dashboardName: string;
  /** Key that encrypts the alarm topic. */
  readonly encryptionKey: kms.IKey;
}

/**
 * The environment's alarm topic and dashboard. Other constructs add their own
 * alarms and widgets through `alarmTopic` and `dashboard`.
 */
export class Monitoring extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', { masterKey: props.encryptionKey, enforceSSL: true });
    this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName });
  }
}
