import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

// Reads zip archives in tests through the operating system's Info-ZIP `unzip` (no dependency).

/** The entry names of the archive, in archive order. */
export async function zipEntryNames(file: string): Promise<string[]> {
  const { stdout } = await run('unzip', ['-Z1', file], { maxBuffer: 64 * 1024 * 1024 });
  return stdout.split('\n').filter((l) => l !== '');
}

/** One entry's bytes; `unzip -t` style integrity (CRC) is checked by unzip as it extracts. */
export async function zipEntry(file: string, name: string): Promise<Buffer> {
  const { stdout } = await run('unzip', ['-p', file, name], {
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}

/** True when every entry's CRC checks out. */
export async function zipIsIntact(file: string): Promise<boolean> {
  try {
    await run('unzip', ['-tq', file]);
    return true;
  } catch {
    return false;
  }
}
