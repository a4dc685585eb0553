import * as path from 'node:path';
import { CustomResource, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { tableDdl } from '../lake/sql/ddl';
import { namedUsageQueries } from '../lake/sql/usage';
import { assertBucketName, assertIdentifier, COMPACTED_TABLE, RAW_TABLE, STAGING_TABLE } from '../lake/tables';
import { stageGrants } from '../runtime/lake-setup/grants';
import {
  ATHENA_QUERY_ACTIONS,
  grantQueryResults,
  RESULTS_PREFIX,
  workgroupArn as workgroupArnOf,
} from './lib/athena-access';
import { acknowledgeWildcardResource } from './lib/nag';
import { NodeFunction } from './lib/node-function';

export interface LakeSetupProps {
  /** Fixed role name of the custom resource handler; it becomes a Lake Formation admin. */
  readonly handlerRoleName: string;
  /** Fixed name of the read-only analyst role this construct creates. */
  readonly analystRoleName: string;
  /** Glue database the tables are created in. */
  readonly databaseName: string;
  /** Lake bucket holding the table data. */
  readonly bucket: s3.IBucket;
  /** Key of the lake bucket and the query results. */
  readonly encryptionKey: kms.IKey;
  /** Bucket the workgroup writes results to. */
  readonly resultsBucket: s3.IBucket;
  /** Name of the Athena workgroup to create. */
  readonly workgroupName: string;
  /** Athena cancels queries that scan more than this. */
  readonly bytesScannedCutoffPerQuery: number;
  /** Role that compacts raw into compacted (read raw, write compacted). */
  readonly compactionRole: iam.IRole;
  /** Principals that get read-only access to both tables, besides the analyst role. */
  readonly readerPrincipalArns: readonly string[];
  /** Roles that get read-only access to the raw table (the dev smoke test's round trip). */
  readonly rawReaders: readonly iam.IRole[];
  /** Retention of the handler's log group, in days. */
  readonly logRetentionDays: number;
  /**
   * Register the lake bucket with Lake Formation, so principals with grants get
   * credentials vended by Lake Formation and need no S3 or KMS permissions of
   * their own (analysts get table access only, never raw bucket access).
   * @default true
   */
  readonly registerDataLocation?: boolean;
}

/** Lake Formation has no resource-level permissions for these: they need `Resource: *`. */
const LF_HANDLER_ACTIONS = [
  'lakeformation:GrantPermissions',
  'lakeformation:RevokePermissions',
  'lakeformation:BatchGrantPermissions',
  'lakeformation:BatchRevokePermissions',
  'lakeformation:GetDataAccess',
  'lakeformation:ListPermissions',
];

/** Stand-in bucket name for generating DDL at synth; replaced by the real (token) name. */
const BUCKET_PLACEHOLDER = 'lake-setup-bucket-placeholder';

/**
 * Athena workgroup, table DDL and Lake Formation grants, applied by a custom
 * resource on every deploy and undone (tables dropped, grants revoked, data
 * kept) when the stack is deleted.
 */
export class LakeSetup extends Construct {
  readonly workgroup: athena.CfnWorkGroup;
  readonly analystRole: iam.Role;
  /** Role of the custom resource handler: a data lake admin. */
  readonly handlerRole: iam.Role;
  /** Registers the handler role as a data lake admin, keeping existing admins. */
  readonly adminSettings: lakeformation.CfnDataLakeSettings;
  /** The bucket's Lake Formation registration, when `registerDataLocation`. */
  readonly dataLocation?: lakeformation.CfnResource;
  /** The custom resource that runs the DDL and grants. */
  readonly resource: CustomResource;
  readonly namedQueries: athena.CfnNamedQuery[];

  constructor(scope: Construct, id: string, props: LakeSetupProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const database = assertIdentifier(props.databaseName, 'database name');
    if (!Token.isUnresolved(props.bucket.bucketName)) assertBucketName(props.bucket.bucketName);
    if (!Number.isInteger(props.bytesScannedCutoffPerQuery) || props.bytesScannedCutoffPerQuery < 10_000_000) {
      throw new Error(
        `bytesScannedCutoffPerQuery must be an integer of at least 10,000,000 (Athena's minimum), got ${props.bytesScannedCutoffPerQuery}`,
      );
    }
    const bucketArn = props.bucket.bucketArn;
    const objects = (prefix: string) => props.bucket.arnForObjects(`${prefix}*`);

    this.workgroup = new athena.CfnWorkGroup(this, 'Workgroup', {
      name: props.workgroupName,
      description: `Metering queries of ${database}: enforced results location, encryption and scan cutoff`,
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${props.resultsBucket.bucketName}/${RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.encryptionKey.keyArn },
          expectedBucketOwner: stack.account,
        },
      },
    });
    const workgroupArn = workgroupArnOf(this, props.workgroupName);
    const catalogArns = [
      stack.formatArn({ service: 'glue', resource: 'catalog' }),
      stack.formatArn({ service: 'glue', resource: 'database', resourceName: database }),
      stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${database}/*` }),
    ];

    // --- Analyst role: query the tables through the workgroup, nothing else.
    this.analystRole = new iam.Role(this, 'AnalystRole', {
      roleName: props.analystRoleName,
      description: `Read-only metering analyst of ${database} (Lake Formation grants decide what it reads)`,
      // Any principal of this account that IAM allows to sts:AssumeRole on it; nobody outside the account.
      assumedBy: new iam.AccountRootPrincipal(),
      maxSessionDuration: Duration.hours(1),
    });
    const analystPolicy = new iam.Policy(this, 'AnalystPolicy', {
      roles: [this.analystRole],
      statements: [
        new iam.PolicyStatement({
          actions: [
            ...ATHENA_QUERY_ACTIONS,
            'athena:GetWorkGroup',
            'athena:GetNamedQuery',
            'athena:ListNamedQueries',
            'athena:BatchGetNamedQuery',
          ],
          resources: [workgroupArn],
        }),
        new iam.PolicyStatement({
          actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartitions'],
          resources: catalogArns,
        }),
        new iam.PolicyStatement({ actions: ['lakeformation:GetDataAccess'], resources: ['*'] }),
      ],
    });
    grantQueryResults(analystPolicy, props);
    acknowledgeCatalogWildcard(analystPolicy, catalogArns[2], database);
    Validations.of(analystPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'lakeformation:GetDataAccess has no resource-level permissions (AWS requires Resource *); Lake Formation grants decide which data it vends credentials for.',
    });

    // --- Lake Formation data location: Lake Formation reads/writes the table prefixes with this role.
    if (props.registerDataLocation ?? true) {
      const registrationRole = new iam.Role(this, 'DataLocationRole', {
        description: `Lake Formation's access to the ${database} table data (vended to principals with grants)`,
        assumedBy: new iam.ServicePrincipal('lakeformation.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
        }),
      });
      const registrationPolicy = new iam.Policy(this, 'DataLocationPolicy', {
        roles: [registrationRole],
        statements: [
          new iam.PolicyStatement({
            actions: ['s3:GetObject'],
            resources: [objects(RAW_TABLE.prefix), objects(COMPACTED_TABLE.prefix), objects(STAGING_TABLE.prefix)],
          }),
          // Athena writes compacted and staging rows (INSERT) with vended credentials; raw is Firehose's alone.
          new iam.PolicyStatement({
            actions: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
            resources: [objects(COMPACTED_TABLE.prefix), objects(STAGING_TABLE.prefix)],
          }),
          new iam.PolicyStatement({
            actions: ['s3:ListBucket'],
            resources: [bucketArn],
            conditions: {
              StringLike: { 's3:prefix': [RAW_TABLE, COMPACTED_TABLE, STAGING_TABLE].map((t) => `${t.prefix}*`) },
            },
          }),
          new iam.PolicyStatement({ actions: ['s3:GetBucketLocation'], resources: [bucketArn] }),
          new iam.PolicyStatement({
            actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
            resources: [props.encryptionKey.keyArn],
          }),
        ],
      });
      for (const t of [RAW_TABLE, COMPACTED_TABLE, STAGING_TABLE]) {
        acknowledgeWildcardResource(
          registrationPolicy,
          objects(t.prefix),
          `Objects of the ${t.name} table under ${t.prefix}: Lake Formation vends credentials scoped down to the table being queried.`,
        );
      }
      this.dataLocation = new lakeformation.CfnResource(this, 'DataLocation', {
        resourceArn: bucketArn,
        roleArn: registrationRole.roleArn,
        useServiceLinkedRole: false,
        hybridAccessEnabled: false,
      });
      this.dataLocation.node.addDependency(registrationPolicy);
    }

    // --- Handler: a data lake admin with fixed name (a renamed admin breaks later deploys).
    this.handlerRole = new iam.Role(this, 'HandlerRole', {
      roleName: props.handlerRoleName,
      description: `Lake setup custom resource of ${database}: table DDL and Lake Formation grants`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    const handlerPolicy = new iam.Policy(this, 'HandlerPolicy', {
      roles: [this.handlerRole],
      statements: [
        new iam.PolicyStatement({
          actions: ATHENA_QUERY_ACTIONS,
          resources: [workgroupArn],
        }),
        // DROP TABLE also lists and deletes registered partitions (there are none with projection).
        new iam.PolicyStatement({
          actions: [
            'glue:GetDatabase',
            'glue:GetTable',
            'glue:GetTables',
            'glue:CreateTable',
            'glue:UpdateTable',
            'glue:DeleteTable',
            'glue:GetPartitions',
            'glue:BatchDeletePartition',
          ],
          resources: catalogArns,
        }),
        // CREATE EXTERNAL TABLE checks that the location can be listed.
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucketArn],
          conditions: {
            StringLike: { 's3:prefix': [RAW_TABLE, COMPACTED_TABLE, STAGING_TABLE].map((t) => `${t.prefix}*`) },
          },
        }),
        new iam.PolicyStatement({ actions: LF_HANDLER_ACTIONS, resources: ['*'] }),
      ],
    });
    grantQueryResults(handlerPolicy, props);
    acknowledgeCatalogWildcard(handlerPolicy, catalogArns[2], database);
    Validations.of(handlerPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Lake Formation GrantPermissions, RevokePermissions, BatchGrant/BatchRevokePermissions, GetDataAccess and ListPermissions have no resource-level permissions: AWS requires Resource *.',
    });

    // APPEND adds the handler to the admin list and never removes an existing admin
    // (REPLACE, or a PutDataLakeSettings from code, would drop them).
    this.adminSettings = new lakeformation.CfnDataLakeSettings(this, 'Admins', {
      mutationType: 'APPEND',
      admins: [{ dataLakePrincipalIdentifier: this.handlerRole.roleArn }],
    });

    const handler = new NodeFunction(this, 'Handler', {
      entry: path.join(__dirname, '..', 'runtime', 'lake-setup', 'handler.ts'),
      logRetentionDays: props.logRetentionDays,
      role: this.handlerRole,
      memorySize: 256,
      timeout: Duration.minutes(10),
    });
    handler.logGroup.grantWrite(this.handlerRole);
    handler.function.node.addDependency(handlerPolicy);
    // The provider's own function: its role only writes its log group and invokes the handler.
    const providerLogs = new logs.LogGroup(this, 'ProviderLogs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const frameworkRole = new iam.Role(this, 'ProviderRole', {
      description: `Custom resource provider framework of the ${database} lake setup`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    providerLogs.grantWrite(frameworkRole);
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: handler.function,
      logGroup: providerLogs,
      frameworkOnEventRole: frameworkRole,
    });
    const frameworkPolicy = frameworkRole.node.tryFindChild('DefaultPolicy');
    if (frameworkPolicy) {
      acknowledgeWildcardResource(
        frameworkPolicy,
        `${handler.function.functionArn}:*`,
        'The provider framework may invoke any version/alias of the one handler function (the qualifier wildcard CDK grants); no other function.',
      );
    }

    // DDL is generated here, at synth: the template shows it, and a schema change
    // is a property change, i.e. an Update that replaces the external table.
    const tables = tableDdl({ database, bucket: BUCKET_PLACEHOLDER }).map((t) => ({
      table: t.table,
      create: t.create.split(BUCKET_PLACEHOLDER).join(props.bucket.bucketName),
      drop: t.drop,
    }));
    const grants = stageGrants({
      database,
      rawTable: RAW_TABLE.name,
      compactedTable: COMPACTED_TABLE.name,
      stagingTable: STAGING_TABLE.name,
      dataLocationArn: this.dataLocation ? bucketArn : undefined,
      compactionPrincipal: props.compactionRole.roleArn,
      readerPrincipals: [this.analystRole.roleArn, ...props.readerPrincipalArns],
      rawReaderPrincipals: props.rawReaders.map((r) => r.roleArn),
    });

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::LakeSetup',
      properties: {
        Database: database,
        WorkGroup: props.workgroupName,
        Bucket: props.bucket.bucketName,
        Tables: tables,
        Grants: grants,
      },
    });
    // Admin first, then DDL and grants; on delete the reverse, so the handler
    // is still an admin (and the location still registered) while it cleans up.
    this.resource.node.addDependency(this.adminSettings, this.workgroup, handlerPolicy);
    if (this.dataLocation) this.resource.node.addDependency(this.dataLocation);

    this.namedQueries = namedUsageQueries({ database, bucket: BUCKET_PLACEHOLDER }).map((q) => {
      const query = new athena.CfnNamedQuery(this, `Query-${q.name}`, {
        name: q.name,
        description: q.description,
        database,
        workGroup: this.workgroup.ref,
        queryString: q.sql,
      });
      // Saved queries read the tables: make them appear once the tables exist.
      query.node.addDependency(this.resource);
      return query;
    });
  }
}

function acknowledgeCatalogWildcard(policy: iam.Policy, tablesArn: string, database: string): void {
  acknowledgeWildcardResource(
    policy,
    tablesArn,
    `Every table of the stage's own database ${database} (and no other database); DDL and queries address tables by name inside it.`,
  );
}
