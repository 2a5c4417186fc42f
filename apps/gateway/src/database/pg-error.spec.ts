import { ConnectionLostError } from './connection-lost.error';
import { isDatabaseUnavailable } from './pg-error';

describe('isDatabaseUnavailable', () => {
  const driver = (code: string, message = 'x') => ({ driverError: { code, message } });

  it.each([
    ['statement timeout', driver('57014', 'canceling statement due to statement timeout')],
    ['admin shutdown', driver('57P01')],
    ['cannot connect now', driver('57P03')],
    ['connection failure', driver('08006')],
    ['refused socket', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }],
    ['pool acquire timeout', new Error('timeout exceeded when trying to connect')],
    ['connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['query on a lost connection', { driverError: new Error('Client has encountered a connection error and is not queryable') }],
    ['connection lost in a transaction', new ConnectionLostError(new Error('Query runner already released. Cannot run queries anymore.'))],
  ])('recognises %s', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['unique violation', driver('23505')],
    ['syntax error', driver('42601')],
    ['insufficient privilege', driver('42501')],
    ['a plain error', new Error('boom')],
    ['nothing', undefined],
  ])('leaves %s alone', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});
