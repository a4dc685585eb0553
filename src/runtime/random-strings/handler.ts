import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { handleRequest } from './random-strings';

// Service name and level come from POWERTOOLS_* variables when set; the
// defaults keep the handler usable without them (tests, local runs).
const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'random-strings' });

const HEADERS = { 'Content-Type': 'application/json' };

/**
 * API Gateway proxy adapter over `handleRequest`. Only the request id, the
 * outcome and the parsed parameters are logged: never the event, whose
 * headers carry the caller's bearer token.
 */
export const handler = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
  logger.addContext(context);
  logger.setCorrelationId(event.requestContext?.requestId ?? context.awsRequestId);
  try {
    const result = handleRequest(event.queryStringParameters, event.multiValueQueryStringParameters);
    if (result.statusCode === 400) {
      logger.info('rejected request', { statusCode: 400, reason: JSON.parse(result.body).message });
    } else {
      logger.debug('served request', { statusCode: 200, bytes: result.body.length });
    }
    return { statusCode: result.statusCode, headers: HEADERS, body: result.body };
  } catch (error) {
    // No query reaches this (the property test shows it); a bug is logged with
    // the request id and rethrown so the Lambda error alarm fires.
    logger.error('unexpected failure', error as Error);
    throw error;
  }
};
