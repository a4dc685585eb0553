import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { handler } from '../../../../../src/runtime/random-strings/handler';

const TOKEN = 'eyJraWQiOiJzZWNyZXQtdG9rZW4ifQ.payload.signature';

function event(query: Record<string, string> | null, multi?: Record<string, string[]>): APIGatewayProxyEvent {
  return {
    httpMethod: 'GET',
    path: '/random/strings',
    resource: '/random/strings',
    headers: { Authorization: TOKEN },
    multiValueHeaders: { Authorization: [TOKEN] },
    queryStringParameters: query,
    multiValueQueryStringParameters:
      multi ?? (query ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])) : null),
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: 'req-1234', authorizer: { claims: { sub: 'abc' } } },
  } as unknown as APIGatewayProxyEvent;
}

// The minimal context another engineer's end-to-end test passes.
const context = { awsRequestId: 'lambda-req-1', functionName: 'random-strings' } as Context;

describe('random-strings handler', () => {
  let output: string[];
  let spies: jest.SpyInstance[];

  beforeEach(() => {
    output = [];
    const capture = (chunk: unknown) => {
      output.push(String(chunk));
      return true;
    };
    spies = [
      jest.spyOn(process.stdout, 'write').mockImplementation(capture),
      jest.spyOn(process.stderr, 'write').mockImplementation(capture),
    ];
  });
  afterEach(() => {
    for (const spy of spies) spy.mockRestore();
  });

  it('answers 200 with a JSON array and a JSON content type', async () => {
    const res = await handler(event({ len: '5', num: '3', chars: 'digits' }), context);
    expect(res.statusCode).toBe(200);
    expect(res.headers).toEqual({ 'Content-Type': 'application/json' });
    const body = JSON.parse(res.body);
    expect(body).toHaveLength(3);
    for (const s of body) expect(s).toMatch(/^[0-9]{5}$/);
  });

  it('answers 400 with a JSON message for a repeated parameter', async () => {
    const res = await handler(event({ num: '3' }, { num: ['2', '3'] }), context);
    expect(res.statusCode).toBe(400);
    expect(res.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(res.body).message).toMatch(/'num'/);
  });

  it('works without query parameters', async () => {
    const res = await handler(event(null), context);
    expect(JSON.parse(res.body)).toHaveLength(1);
  });

  it('logs the rejection with the API request id as correlation id, and never the token', async () => {
    await handler(event({ len: '99' }), context);
    const lines = output.join('').split('\n').filter(Boolean);
    const rejection = lines.map((l) => JSON.parse(l)).find((l) => l.message === 'rejected request');
    expect(rejection).toMatchObject({ correlation_id: 'req-1234', statusCode: 400, level: 'INFO' });
    expect(output.join('')).not.toContain(TOKEN);
    expect(output.join('')).not.toContain('signature');
  });
});
