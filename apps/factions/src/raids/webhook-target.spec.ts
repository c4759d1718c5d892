import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { isPrivateAddress, resolveWebhookTarget, WebhookRefusedError } from './webhook-target';

describe('raid alert webhook addresses', () => {
  for (const address of [
    '0.0.0.0',
    '10.1.2.3',
    '100.64.0.1',
    '100.127.255.254',
    '127.0.0.1',
    '127.255.0.9',
    '169.254.169.254',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '64:ff9b::a9fe:a9fe',
    'not-an-ip',
  ]) {
    it(`refuses ${address}`, () => assert.equal(isPrivateAddress(address), true));
  }

  for (const address of [
    '1.1.1.1',
    '8.8.8.8',
    '100.63.255.255',
    '100.128.0.1',
    '172.32.0.1',
    '162.159.128.233',
    '2606:4700::6810:84e5',
    '::ffff:8.8.8.8',
  ]) {
    it(`lets ${address} through`, () => assert.equal(isPrivateAddress(address), false));
  }

  const resolver = (answers: Record<string, string[]>) => async (host: string) =>
    (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('checks every address a name resolves to, and connects to the checked one', async () => {
    const resolve = resolver({
      'hooks.example': ['162.159.128.233'],
      'rebind.example': ['162.159.128.233', '127.0.0.1'],
      'meta.example': ['169.254.169.254'],
    });
    const target = await resolveWebhookTarget('https://hooks.example/api/webhooks/1/x', {
      allowPrivate: false,
      resolve,
    });
    assert.deepEqual(
      [target.address, target.family, target.url.hostname],
      ['162.159.128.233', 4, 'hooks.example'],
    );
    for (const url of [
      'https://rebind.example/x',
      'https://meta.example/x',
      'https://127.0.0.1:8080/x',
      'https://[::1]/x',
    ]) {
      await assert.rejects(
        resolveWebhookTarget(url, { allowPrivate: false, resolve }),
        WebhookRefusedError,
        url,
      );
    }
    await assert.rejects(
      resolveWebhookTarget('https://nowhere.example/x', { allowPrivate: false, resolve }),
      WebhookRefusedError,
    );
  });

  it('lets private addresses through with WEBHOOK_ALLOW_PRIVATE', async () => {
    const target = await resolveWebhookTarget('http://127.0.0.1:9/x', { allowPrivate: true });
    assert.equal(target.address, '127.0.0.1');
  });

  it('refuses what is not an http(s) URL, and credentials in it', async () => {
    for (const url of ['ftp://1.1.1.1/x', 'not a url', 'https://user:pw@1.1.1.1/x']) {
      await assert.rejects(resolveWebhookTarget(url, { allowPrivate: true }), WebhookRefusedError, url);
    }
  });
});
