import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

/**
 * How the local API behaves:
 * - `healthy`: Cognito authorizer, then the real handler;
 * - `broken`: the integration fails, as when the Lambda crashes (500 after the authorizer);
 * - `bad-contract`: the real handler, but every string comes back one character short;
 * - `no-auth`: no authorizer at all, so requests without a token are served.
 */
export type ApiMode = 'healthy' | 'broken' | 'bad-contract' | 'no-auth';

export interface ServedRequest {
  readonly path: string;
  readonly status: number;
  /** `sub` of the verified caller, if any. */
  readonly sub?: string;
}

export interface LocalApi {
  /** Invoke URL with a stage, like API Gateway's: `http://127.0.0.1:<port>/dev/`. */
  readonly url: string;
  mode: ApiMode;
  readonly served: ServedRequest[];
  stop(): Promise<void>;
}

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const STAGE = 'dev';
const RESOURCE = '/random/strings';
const JSON_HEADERS = { 'Content-Type': 'application/json' };

/**
 * A stand-in for API Gateway on 127.0.0.1: verifies the Cognito ID token like
 * the Cognito authorizer (aws-jwt-verify, JWKS fetched once from the emulator
 * and cached, because the verifier refuses to fetch JWKS over plain http), then
 * calls the real Lambda handler with a REST API proxy event.
 */
export async function startLocalApi(opts: { issuer: string; clientId: string }): Promise<LocalApi> {
  // Keep the handler's Powertools logger quiet in test output; loaded after the variable is set.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  const { handler } = (await import('../../../src/runtime/random-strings/handler')) as { handler: Handler };

  const jwksResponse = await fetch(`${opts.issuer}/.well-known/jwks.json`);
  if (!jwksResponse.ok) throw new Error(`JWKS: ${jwksResponse.status} from ${opts.issuer}`);
  const verifier = JwtVerifier.create({ issuer: opts.issuer, audience: opts.clientId });
  verifier.cacheJwks((await jwksResponse.json()) as Jwks);

  const served: ServedRequest[] = [];
  const state = { mode: 'healthy' as ApiMode };
  const send = (
    res: ServerResponse,
    path: string,
    status: number,
    body: string,
    headers: Record<string, string> = JSON_HEADERS,
    sub?: string,
  ) => {
    served.push({ path, status, sub });
    res.writeHead(status, { ...headers, 'x-amzn-RequestId': randomUUID() });
    res.end(body);
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method !== 'GET' || url.pathname !== `/${STAGE}${RESOURCE}`) {
        // What API Gateway answers for a path or method the API does not have.
        return send(res, url.pathname, 403, JSON.stringify({ message: 'Missing Authentication Token' }));
      }
      let claims: Record<string, string> | undefined;
      if (state.mode !== 'no-auth') {
        const header = req.headers.authorization;
        const token = header?.replace(/^Bearer /i, '');
        if (!token) return send(res, url.pathname, 401, JSON.stringify({ message: 'Unauthorized' }));
        try {
          const payload = await verifier.verify(token);
          // The Cognito authorizer takes ID tokens: an access token has no email claim to meter by.
          if (payload.token_use !== 'id') throw new Error('not an ID token');
          claims = Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, String(v)]));
        } catch {
          return send(res, url.pathname, 401, JSON.stringify({ message: 'Unauthorized' }));
        }
      }
      if (state.mode === 'broken') {
        return send(
          res,
          url.pathname,
          500,
          JSON.stringify({ message: 'Internal server error' }),
          JSON_HEADERS,
          claims?.sub,
        );
      }
      const result = await handler(proxyEvent(req, url, claims), lambdaContext());
      let body = result.body;
      if (state.mode === 'bad-contract' && result.statusCode === 200) {
        body = JSON.stringify((JSON.parse(body) as string[]).map((s) => s.slice(1)));
      }
      const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]));
      send(res, url.pathname, result.statusCode, body, headers, claims?.sub);
    })().catch((e) => {
      send(res, req.url ?? '', 500, JSON.stringify({ message: `local server error: ${(e as Error).message}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Never keep jest alive on its own.
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${STAGE}/`,
    get mode() {
      return state.mode;
    },
    set mode(m: ApiMode) {
      state.mode = m;
    },
    served,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The REST API (v1) Lambda proxy event API Gateway sends for this request. */
function proxyEvent(req: IncomingMessage, url: URL, claims: Record<string, string> | undefined): APIGatewayProxyEvent {
  const multi: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) multi[k] = [...(multi[k] ?? []), v];
  const single = Object.fromEntries(Object.entries(multi).map(([k, v]) => [k, v[v.length - 1]]));
  const hasQuery = Object.keys(multi).length > 0;
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
  );
  const now = Date.now();
  return {
    resource: RESOURCE,
    path: RESOURCE,
    httpMethod: 'GET',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: hasQuery ? single : null,
    multiValueQueryStringParameters: hasQuery ? multi : null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '111111111111',
      apiId: 'local',
      authorizer: claims ? { claims } : null,
      httpMethod: 'GET',
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        user: null,
        userAgent: req.headers['user-agent'] ?? null,
        userArn: null,
      },
      path: `/${STAGE}${RESOURCE}`,
      protocol: `HTTP/${req.httpVersion}`,
      requestId: randomUUID(),
      requestTimeEpoch: now,
      resourceId: 'local',
      resourcePath: RESOURCE,
      stage: STAGE,
    },
  };
}

function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'random-strings-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:random-strings-local',
    memoryLimitInMB: '128',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/random-strings-local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
