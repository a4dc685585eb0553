import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';

/** A running cognito-local on 127.0.0.1 with one user pool and app client, like a stage's. */
export interface CognitoLocal {
  readonly endpoint: string;
  readonly userPoolId: string;
  readonly clientId: string;
  /** `http://127.0.0.1:<port>/<poolId>`: the `iss` of its tokens. */
  readonly issuer: string;
  /** An SDK client pointed at the emulator with dummy credentials. */
  readonly client: CognitoIdentityProviderClient;
  stop(): Promise<void>;
}

/** Credentials cognito-local accepts (it checks none); never real ones. */
export const DUMMY_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'eu-west-1';

/** A TCP port free on loopback right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const START = path.join(
  path.dirname(require.resolve('cognito-local/package.json')),
  (require('cognito-local/package.json') as { bin: string }).bin,
);

/**
 * Starts cognito-local as a child process from a temporary directory (it keeps
 * its database in `.cognito/` there). The child exits by itself when this
 * process is gone or after `ttlMs`, so a crashed test run leaves nothing behind.
 */
export async function startCognitoLocal(ttlMs = 5 * 60_000): Promise<CognitoLocal> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cognito-local-'));
  const port = await freePort();
  const parent = process.pid;
  const guard = [
    // Whoever ends it, the emulator takes its database directory with it.
    `process.on('exit', () => require('node:fs').rmSync(process.cwd(), { recursive: true, force: true }));`,
    `setTimeout(() => process.exit(0), ${ttlMs}).unref();`,
    `setInterval(() => { try { process.kill(${parent}, 0); } catch { process.exit(0); } }, 1000).unref();`,
    `require(${JSON.stringify(START)});`,
  ].join('\n');
  const child = spawn(process.execPath, ['-e', guard], {
    cwd: dir,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DEBUG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilListening(child, endpoint);
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const client = new CognitoIdentityProviderClient({ endpoint, region: LOCAL_REGION, credentials: DUMMY_CREDENTIALS });
  // Like the stage's pool: email is the sign-in name; the client allows USER_PASSWORD_AUTH.
  const pool = await client.send(new CreateUserPoolCommand({ PoolName: 'smoke-e2e', UsernameAttributes: ['email'] }));
  const userPoolId = pool.UserPool?.Id as string;
  const app = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'smoke-e2e',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  return {
    endpoint,
    userPoolId,
    clientId: app.UserPoolClient?.ClientId as string,
    issuer: `${endpoint}/${userPoolId}`,
    client,
    stop: async () => {
      client.destroy();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilListening(child: ChildProcess, endpoint: string, timeoutMs = 20_000): Promise<void> {
  let output = '';
  child.stdout?.on('data', (d) => {
    output += String(d);
  });
  child.stderr?.on('data', (d) => {
    output += String(d);
  });
  const deadline = Date.now() + timeoutMs;
  let delay = 50;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`cognito-local exited with ${child.exitCode}:\n${output}`);
    try {
      // Any HTTP answer means it is up; the emulator answers unknown routes with an error status.
      await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(500, delay * 2);
    }
  }
  throw new Error(`cognito-local did not answer on ${endpoint} within ${timeoutMs} ms:\n${output}`);
}
