/**
 * The API Gateway access-log format: the contract between the API stage and
 * the raw table. API Gateway substitutes `$context` variables as plain text
 * without escaping, writes `-` for a missing value, and Firehose adds no
 * delimiter between records. So:
 *
 * - every value is quoted and read as a string by the raw table; numbers are
 *   cast with TRY_CAST after mapping `-` to NULL, so a missing value can never
 *   break a row or a query;
 * - a field is admitted only if API Gateway or this app bounds its values to
 *   characters that need no JSON escaping (no `"`, `\` or control characters);
 *   free text a caller controls (user agent, request path, query string) is
 *   left out, because one `"` in it would corrupt the whole line;
 * - each record ends with `\n`, so Athena reads one row per request rather
 *   than one per S3 object.
 */

/** What a field can contain, which decides whether it is safe in a quoted JSON string. */
export type ValueDomain =
  /** API Gateway request ids and Cognito subs: hex digits and '-'. */
  | 'uuid'
  /** Opaque ids API Gateway generates: letters, digits, '=', '+', '/', '-'. */
  | 'opaque-id'
  /** Non-negative integer, or '-' when missing. */
  | 'integer'
  /** IPv4 or IPv6 address. */
  | 'ip'
  /** Fixed vocabulary owned by API Gateway (method, protocol, error type) or by this API (resource template, stage). */
  | 'token'
  /**
   * The user's email. Cognito stores it immutably and the pre-sign-up trigger
   * rejects addresses containing `"`, `\` or control characters, so it never needs escaping.
   */
  | 'email';

export interface AccessLogField {
  /** JSON key in the log line; also the raw table's column name. */
  readonly name: string;
  /** The `$context` variable API Gateway substitutes. */
  readonly variable: string;
  readonly domain: ValueDomain;
  /** Column type in the compacted table, after casting. */
  readonly type: 'string' | 'bigint' | 'int';
  readonly description: string;
}

export const ACCESS_LOG_FIELDS: readonly AccessLogField[] = [
  {
    name: 'requestId',
    variable: '$context.requestId',
    domain: 'uuid',
    type: 'string',
    description: 'API Gateway request id: the idempotency key of a metered request.',
  },
  {
    name: 'extendedRequestId',
    variable: '$context.extendedRequestId',
    domain: 'opaque-id',
    type: 'string',
    description: 'Extended request id (x-amz-apigw-id).',
  },
  {
    name: 'requestTimeEpoch',
    variable: '$context.requestTimeEpoch',
    domain: 'integer',
    type: 'bigint',
    description: 'Request time, milliseconds since the epoch (UTC).',
  },
  {
    name: 'sub',
    variable: '$context.authorizer.claims.sub',
    domain: 'uuid',
    type: 'string',
    description: 'Cognito user id (immutable): the tenant key metering groups by. "-" when unauthenticated.',
  },
  {
    name: 'username',
    variable: '$context.authorizer.claims.email',
    domain: 'email',
    type: 'string',
    description: "The caller's email (username) for reports; never used as a key because emails can change hands.",
  },
  {
    name: 'sourceIp',
    variable: '$context.identity.sourceIp',
    domain: 'ip',
    type: 'string',
    description: 'Client IP address.',
  },
  { name: 'httpMethod', variable: '$context.httpMethod', domain: 'token', type: 'string', description: 'HTTP method.' },
  {
    name: 'resourcePath',
    variable: '$context.resourcePath',
    domain: 'token',
    type: 'string',
    description: 'Resource template matched (e.g. /random/strings), not the raw request path.',
  },
  { name: 'stage', variable: '$context.stage', domain: 'token', type: 'string', description: 'API stage name.' },
  {
    name: 'status',
    variable: '$context.status',
    domain: 'integer',
    type: 'int',
    description: 'HTTP status returned to the caller.',
  },
  {
    name: 'protocol',
    variable: '$context.protocol',
    domain: 'token',
    type: 'string',
    description: 'Request protocol, e.g. HTTP/1.1.',
  },
  {
    name: 'responseLength',
    variable: '$context.responseLength',
    domain: 'integer',
    type: 'bigint',
    description: 'Response payload length in bytes.',
  },
  {
    name: 'responseLatency',
    variable: '$context.responseLatency',
    domain: 'integer',
    type: 'int',
    description: 'Total response latency in ms.',
  },
  {
    name: 'integrationLatency',
    variable: '$context.integrationLatency',
    domain: 'integer',
    type: 'int',
    description: 'Integration (Lambda) latency in ms; "-" when no integration ran.',
  },
  {
    name: 'apiKeyId',
    variable: '$context.identity.apiKeyId',
    domain: 'opaque-id',
    type: 'string',
    description: 'API key id, when a usage plan key was sent.',
  },
  {
    name: 'errorResponseType',
    variable: '$context.error.responseType',
    domain: 'token',
    type: 'string',
    description: 'Gateway response type for errors (e.g. UNAUTHORIZED), else "-".',
  },
];

/** The value of a missing field in an access-log line. */
export const MISSING = '-';

/** The access-log format string given to the API stage: one JSON object and a newline. */
export function accessLogFormat(fields: readonly AccessLogField[] = ACCESS_LOG_FIELDS): string {
  return `{${fields.map((f) => `"${f.name}":"${f.variable}"`).join(',')}}\n`;
}
