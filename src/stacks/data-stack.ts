import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/schema';
import { LakeCatalog } from '../constructs/lake-catalog';
import { LakeStorage } from '../constructs/lake-storage';
import { UserDirectory } from '../constructs/user-directory';

export interface DataStackProps extends StackProps {
  /** Short application name from `config/pipeline.json`. */
  readonly appName: string;
  /** The environment's validated config. */
  readonly config: StageConfig;
  /** Glue database name for this stage. */
  readonly databaseName: string;
}

/**
 * Everything that holds data: the lake buckets and key, the user pool and the
 * catalog. Kept apart from the service stack so no change to code or alarms can
 * ever replace one of these.
 */
export class DataStack extends Stack {
  readonly storage: LakeStorage;
  readonly users: UserDirectory;
  readonly catalog: LakeCatalog;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.storage = new LakeStorage(this, 'Lake', {
      keepData: config.keepData,
      rawDataDays: config.retention.rawDataDays,
      compactedDataDays: config.retention.compactedDataDays,
    });
    this.users = new UserDirectory(this, 'Users', {
      selfSignUp: config.cognito.selfSignUp,
      keepData: config.keepData,
      logRetentionDays: config.retention.logDays,
    });
    this.catalog = new LakeCatalog(this, 'Catalog', {
      databaseName: props.databaseName,
      keepData: config.keepData,
      encryptionKey: this.storage.key,
      resultsExpirationDays: config.athena.resultsExpirationDays,
      accessLogsBucket: this.storage.accessLogsBucket,
    });
  }
}
