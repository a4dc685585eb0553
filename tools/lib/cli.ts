import { ConfigError } from '../../src/config/load';
import { UsageError } from './args';

/**
 * Runs a CLI's main function and turns its outcome into an exit code: the
 * returned code, 2 for usage and config mistakes (with the usage text), 1 for
 * any other error, printed as one readable line rather than a stack trace.
 */
export async function runCli(main: () => Promise<number>, usage: string): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}\n\n${usage}`);
      process.exitCode = 2;
    } else if (e instanceof ConfigError) {
      console.error(`error: invalid configuration: ${e.message}`);
      process.exitCode = 2;
    } else {
      console.error(`error: ${e instanceof Error ? `${e.message}` : String(e)}`);
      if (process.env.DEBUG && e instanceof Error) console.error(e.stack);
      process.exitCode = 1;
    }
  }
}
