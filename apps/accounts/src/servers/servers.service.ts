import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode, type AuthenticatedServer } from '@trustno1/contracts';
import { ServersRepository } from './servers.repository';

/** SHA-256 of a server API key: keys are 256 random bits, so a fast hash is enough. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}

@Injectable()
export class ServersService {
  constructor(private readonly repository: ServersRepository) {}

  /** Checked on every server request: a revoked key stops working at once (no cache). */
  async authenticate(apiKey: string): Promise<AuthenticatedServer> {
    const server = await this.repository.findActiveByKeyHash(hashApiKey(apiKey));
    if (!server) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Unknown or revoked server key');
    return server;
  }
}
