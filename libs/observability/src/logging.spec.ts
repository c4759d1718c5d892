import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from '@jest/globals';
import { pino } from 'pino';
import { AppLogger } from './logging';

/** An AppLogger writing JSON lines into an array. */
function capture(level = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = new AppLogger(
    pino({ level, base: { service: 'test' }, redact: { paths: ['*.password'], censor: '[redacted]' } }, sink),
  );
  return { logger, lines };
}

describe('AppLogger: Nest calls to JSON lines', () => {
  it('writes a text with its context, and an object as fields with its msg', () => {
    const { logger, lines } = capture();
    logger.log('ready', 'host');
    logger.log({ msg: 'http request', status: 200, requestId: 'r1' }, 'access');
    logger.log({ status: 503 }, 'NATS request failed', 'bus');
    assert.deepEqual(
      lines.map(({ level, msg, context, status, requestId, service }) => ({
        level,
        msg,
        context,
        status,
        requestId,
        service,
      })),
      [
        {
          level: 30,
          msg: 'ready',
          context: 'host',
          status: undefined,
          requestId: undefined,
          service: 'test',
        },
        { level: 30, msg: 'http request', context: 'access', status: 200, requestId: 'r1', service: 'test' },
        {
          level: 30,
          msg: 'NATS request failed',
          context: 'bus',
          status: 503,
          requestId: undefined,
          service: 'test',
        },
      ],
    );
  });

  it("keeps Nest's error(message, stack, context) and an Error's message and stack", () => {
    const { logger, lines } = capture();
    logger.error('boom', 'Error: boom\n    at x', 'ExceptionHandler');
    logger.error(new Error('bad'), 'bus');
    assert.equal(lines[0]?.level, 50);
    assert.equal(lines[0]?.msg, 'boom');
    assert.equal(lines[0]?.stack, 'Error: boom\n    at x');
    assert.equal(lines[0]?.context, 'ExceptionHandler');
    assert.equal(lines[1]?.msg, 'bad');
    assert.match(String((lines[1]?.err as { stack?: string }).stack), /Error: bad/);
  });

  it('maps the levels, skips what the level hides and redacts secrets', () => {
    const { logger, lines } = capture('info');
    logger.debug('hidden', 'x');
    logger.verbose('hidden', 'x');
    logger.warn({ msg: 'careful', user: { password: 'p' } }, 'x');
    logger.fatal('dead', 'x');
    assert.deepEqual(
      lines.map((l) => [l.level, l.msg]),
      [
        [40, 'careful'],
        [60, 'dead'],
      ],
    );
    assert.deepEqual(lines[0]?.user, { password: '[redacted]' });
  });
});
