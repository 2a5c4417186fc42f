import { UsiError } from '@usi/contract';
import { CliIo } from './cli-io';
import { parseCommandLine } from './cli-options';
import { checkUsiCommand } from './commands/check-usi.command';
import { doctorCommand } from './doctor/doctor.command';
import { gatewayCommand } from './commands/gateway.command';
import { keystoreCommand } from './commands/keystore.command';
import { OPERATION_COMMANDS, operationCommand } from './commands/operation.command';
import { tokenCommand } from './commands/token.command';
import { USAGE } from './usage';
import { UsageError } from './usage-error';

/** Runs one `usi` command line and returns the process exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { positionals, options } = parseCommandLine(argv);
    const [command, ...args] = positionals;
    if (options.help || command === undefined || command === 'help') {
      io.stdout(USAGE);
      return command === undefined && !options.help ? 2 : 0;
    }
    // The doctor prints one line per check as it goes and decides its own exit code.
    if (command === 'doctor') {
      if (args.length > 0) throw new UsageError(`Unexpected argument ${args[0]}`);
      return await doctorCommand(options, io);
    }
    const result = await dispatch(command, args, options, io);
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (err) {
    io.stderr(`${JSON.stringify(errorJson(err))}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}

function dispatch(command: string, args: string[], options: ReturnType<typeof parseCommandLine>['options'], io: CliIo): unknown {
  if (command === 'keystore') return keystoreCommand(args, options, io);
  if (command === 'check-usi') return checkUsiCommand(args);
  if (command === 'gateway') return gatewayCommand(args, options, io);
  if (args.length > 0) throw new UsageError(`Unexpected argument ${args[0]}`);
  if (command === 'token') return tokenCommand(options, io);
  const op = OPERATION_COMMANDS[command];
  if (op) return operationCommand(op, options, io);
  throw new UsageError(`Unknown command ${command}; run usi --help`);
}

function errorJson(err: unknown): Record<string, unknown> {
  if (err instanceof UsiError) return { code: err.code, message: err.message, ...err.details };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
