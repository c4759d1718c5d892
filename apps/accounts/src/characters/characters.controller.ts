import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import {
  AccountsSubjects,
  AppError,
  createCharacterBody,
  ErrorCode,
  listCharactersRequest,
  parsePayload,
  type CharacterView,
  type Principal,
} from '@trustno1/contracts';
import { idempotencyClaim } from '@trustno1/db';
import { CharactersService } from './characters.service';

/** The account a player principal owns; characters are only ever touched by their own player. */
function playerAccount(principal: Principal): string {
  if (principal.kind === 'player') return principal.accountId;
  if (principal.kind === 'anonymous')
    throw new AppError(ErrorCode.UNAUTHENTICATED, 'A player session is required');
  throw new AppError(ErrorCode.FORBIDDEN, 'Only a player manages its characters');
}

@Controller()
export class CharactersController {
  constructor(private readonly characters: CharactersService) {}

  @MessagePattern(AccountsSubjects.createCharacter)
  create(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<CharacterView> {
    const body = parsePayload(createCharacterBody, payload);
    const accountId = playerAccount(meta.principal);
    const claim = idempotencyClaim(AccountsSubjects.createCharacter, payload, meta);
    return this.characters.create(accountId, body.name, claim);
  }

  @MessagePattern(AccountsSubjects.listCharacters)
  list(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<CharacterView[]> {
    parsePayload(listCharactersRequest, payload ?? {});
    return this.characters.list(playerAccount(meta.principal));
  }
}
