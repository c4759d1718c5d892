import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Sealed values start with the format version; base32 secrets (legacy rows) never contain '.'. */
const VERSION = 'v1';
const IV_BYTES = 12;

/**
 * Seals TOTP secrets at rest with AES-256-GCM. The account id is the additional authenticated data,
 * so a sealed secret copied onto another account's row does not open.
 */
export class TotpSealer {
  private readonly key: Buffer;

  constructor(base64Key: string) {
    this.key = Buffer.from(base64Key, 'base64');
    if (this.key.length !== 32) throw new Error('the TOTP key must be 32 bytes');
  }

  seal(accountId: string, secret: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(accountId));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), sealed]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /**
   * The secret of a stored value. Values written before sealing existed (plain base32) are read as
   * they are. Throws when the value was sealed with another key or for another account.
   */
  open(accountId: string, stored: string): string {
    if (!stored.startsWith(`${VERSION}.`)) return stored;
    const [, iv, tag, sealed] = stored.split('.');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(accountId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}

/** Injection token of the TotpSealer. */
export const TOTP_SEALER = Symbol('TOTP_SEALER');
