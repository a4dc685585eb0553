import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The newest Node.js runtime aws-cdk-lib offers; every function in the app uses it. */
export const NODE_RUNTIME = lambda.Runtime.NODEJS_24_X;

export interface NodeFunctionProps {
  /** Path to the handler file under `src/runtime/`. */
  readonly entry: string;
  /** Retention of the function's log group, in days. */
  readonly logRetentionDays: number;
  /** @default 'handler' */
  readonly handler?: string;
  readonly environment?: Record<string, string>;
  /** @default 128 */
  readonly memorySize?: number;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /**
   * Execution role; give one with a fixed name where other resources must name it,
   * and grant it `logGroup` write yourself. Any other `Resource: *` you add to it
   * needs its own acknowledgement naming why.
   * @default a new role that may write only to this function's log group (no AWS managed policy)
   */
  readonly role?: iam.IRole;
  /**
   * Leave the AWS SDK out of the bundle and use the one in the runtime. Only for
   * functions whose cold start matters more than pinning the SDK version.
   * @default false: the SDK version from package-lock.json is bundled
   */
  readonly useRuntimeSdk?: boolean;
  /** @default none */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * A TypeScript Lambda bundled by the local esbuild (never Docker): arm64, the
 * newest Node runtime, JSON logs to a log group with the env's retention, X-Ray on.
 */
export class NodeFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    let role = props.role;
    if (!role) {
      role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      this.logGroup.grantWrite(role);
    }
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: props.handler ?? 'handler',
      runtime: NODE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 128,
      timeout: props.timeout ?? Duration.seconds(10),
      environment: props.environment,
      role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      bundling: {
        minify: true,
        target: 'node24',
        format: nodejs.OutputFormat.CJS,
        externalModules: props.useRuntimeSdk ? ['@aws-sdk/*'] : [],
        forceDockerBundling: false,
        logLevel: nodejs.LogLevel.WARNING,
      },
    });
    // Active tracing is this construct's choice, so the wildcard it adds is acknowledged here,
    // for a given role as for its own.
    Validations.of(role.node.tryFindChild('DefaultPolicy') ?? role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
    });
  }
}
