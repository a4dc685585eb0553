import { Logger } from '@aws-lambda-powertools/logger';
import { AthenaClient } from '@aws-sdk/client-athena';
import { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { type LakeSetupEvent, type LakeSetupResponse, onEvent } from './lake-setup';

const logger = new Logger({ serviceName: 'lake-setup' });
const clients = { athena: new AthenaClient({}), lakeFormation: new LakeFormationClient({}) };

/** `onEvent` handler of the lake setup custom resource (custom_resources.Provider). */
export async function handler(event: CloudFormationCustomResourceEvent): Promise<LakeSetupResponse> {
  logger.info('lake setup', {
    requestType: event.RequestType,
    physicalResourceId: (event as { PhysicalResourceId?: string }).PhysicalResourceId,
  });
  const result = await onEvent(event as unknown as LakeSetupEvent, clients, (e) =>
    // The full error, with the whole statement; the stack event shows a bounded head of it.
    logger.error('lake setup failed', e as Error),
  );
  logger.info('lake setup done', { ...result });
  return result;
}
