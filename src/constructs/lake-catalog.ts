import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { assertIdentifier } from '../lake/tables';

export interface LakeCatalogProps {
  /** Glue database name (a validated SQL identifier). */
  readonly databaseName: string;
  /** Retain the database and results bucket when the stack is deleted. */
  readonly keepData: boolean;
  /** Key that encrypts query results. */
  readonly encryptionKey: kms.IKey;
  /** Days Athena query results are kept. */
  readonly resultsExpirationDays: number;
  /** Bucket that receives the results bucket's server access logs. */
  readonly accessLogsBucket: s3.IBucket;
}

/**
 * The stage's Glue database and the bucket Athena writes query results to.
 *
 * Tables created in the database get no `IAMAllowedPrincipals` grant, so Lake
 * Formation (not bare IAM) decides who reads them: the grants of `LakeSetup`
 * are the whole access list.
 */
export class LakeCatalog extends Construct {
  readonly database: glue.CfnDatabase;
  readonly databaseName: string;
  readonly resultsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: LakeCatalogProps) {
    super(scope, id);
    const removalPolicy = props.keepData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    if (!Number.isInteger(props.resultsExpirationDays) || props.resultsExpirationDays < 1) {
      throw new Error(`resultsExpirationDays must be a positive integer, got ${props.resultsExpirationDays}`);
    }
    this.databaseName = assertIdentifier(props.databaseName, 'database name');
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Stack.of(this).account,
      databaseInput: {
        name: this.databaseName,
        description: 'Metering tables (created by the lake setup custom resource; data lives in the lake bucket)',
        createTableDefaultPermissions: [],
      },
    });
    this.database.applyRemovalPolicy(removalPolicy);
    this.resultsBucket = new s3.Bucket(this, 'Results', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      removalPolicy,
      autoDeleteObjects: !props.keepData,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      bucketKeyEnabled: true,
      lifecycleRules: [
        {
          id: 'expire-query-results',
          expiration: Duration.days(props.resultsExpirationDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
  }
}
