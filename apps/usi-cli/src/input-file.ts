import { UsiError } from '@usi/contract';
import { CliIo } from './cli-io';

/**
 * Reads a file named on the command line, turning the file system's errors into a typed one that names the path
 * (`keystore.not_found`, `cli.file_not_found`, …) instead of an `internal` error with an errno in it.
 */
export async function readInputFile(io: CliIo, path: string, kind: 'keystore' | 'cli'): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const [prefix, what] = kind === 'keystore' ? ['keystore', 'Keystore file'] : ['cli.file', 'File'];
    if (code === 'ENOENT') throw new UsiError(`${prefix}.not_found`, `${what} not found: ${path}`, { path });
    if (code === 'EACCES' || code === 'EPERM') throw new UsiError(`${prefix}.unreadable`, `${what} is not readable: ${path}`, { path });
    if (code === 'EISDIR') throw new UsiError(`${prefix}.not_a_file`, `${what} is a directory: ${path}`, { path });
    throw err;
  }
}
