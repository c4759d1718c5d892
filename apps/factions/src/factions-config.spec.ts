import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '@trustno1/config';
import { factionsConfigSchema } from './factions-config';

describe('factions config', () => {
  it('defaults HEALTH_PORT to 3106, invitations to 48 h and the daily withdraw limits per rank', () => {
    const config = loadConfig(factionsConfigSchema, {});
    assert.deepEqual(
      [
        config.HEALTH_PORT,
        config.FACTION_INVITE_TTL_HOURS,
        config.FACTION_WITHDRAW_LIMIT_OFFICER,
        config.FACTION_WITHDRAW_LIMIT_MEMBER,
        config.FACTION_WITHDRAW_LIMIT_RECRUIT,
        config.RAID_ALERT_COOLDOWN_MINUTES,
        config.WEBHOOK_MAX_FAILURES,
        config.WEBHOOK_ALLOW_PRIVATE,
      ],
      [3106, 48, 100_000, 10_000, 0, 5, 5, false],
    );
  });

  for (const [name, value] of [
    ['HEALTH_PORT', 'eighty'],
    ['FACTION_INVITE_TTL_HOURS', '0'],
    ['FACTION_INVITE_TTL_HOURS', '1.5'],
    ['FACTION_WITHDRAW_LIMIT_OFFICER', '-1'],
    ['FACTION_WITHDRAW_LIMIT_MEMBER', 'lots'],
    ['FACTION_WITHDRAW_LIMIT_RECRUIT', '1e13'],
    ['RAID_ALERT_COOLDOWN_MINUTES', '-1'],
    ['RAID_ALERT_COOLDOWN_MINUTES', 'five'],
    ['WEBHOOK_MAX_FAILURES', '0'],
    ['WEBHOOK_ALLOW_PRIVATE', 'yes'],
  ] as const) {
    it(`names ${name} when it is ${value}`, () => {
      assert.throws(
        () => loadConfig(factionsConfigSchema, { [name]: value }),
        (error: unknown) => error instanceof ConfigError && error.message.includes(name),
      );
    });
  }

  it('reads WEBHOOK_ALLOW_PRIVATE=true', () => {
    assert.equal(
      loadConfig(factionsConfigSchema, { WEBHOOK_ALLOW_PRIVATE: 'true' }).WEBHOOK_ALLOW_PRIVATE,
      true,
    );
  });
});
