import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BusClient } from '@trustno1/bus';
import {
  AccountsSubjects,
  createCharacterBody,
  type CharacterView,
  type Principal,
} from '@trustno1/contracts';
import { Access } from '../auth/access';
import { CurrentPrincipal, IdempotencyKey } from '../auth/request-params';
import { ZodPipe } from '../validation/zod.pipe';

type CreateCharacterBody = z.infer<typeof createCharacterBody>;

@ApiTags('characters')
@ApiBearerAuth('player')
@Controller('v1/characters')
export class CharactersController {
  constructor(private readonly bus: BusClient) {}

  @Post()
  @HttpCode(201)
  @Access('player')
  @ApiBody({ schema: z.toJSONSchema(createCharacterBody) as object })
  @ApiResponse({
    status: 201,
    description: 'The character, with its inventory, wallets and stats already created',
  })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED' })
  @ApiResponse({
    status: 409,
    description: 'NAME_TAKEN (names are unique whatever their case) or IDEMPOTENCY_KEY_REUSED',
  })
  @ApiResponse({ status: 422, description: 'LIMIT_REACHED: the account already has 5 characters' })
  create(
    @Body(new ZodPipe(createCharacterBody)) body: CreateCharacterBody,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<CharacterView> {
    return this.bus.request(AccountsSubjects.createCharacter, body, { principal, idempotencyKey });
  }

  @Get()
  @Access('player')
  @ApiResponse({ status: 200, description: "The caller's characters, oldest first" })
  list(@CurrentPrincipal() principal: Principal): Promise<CharacterView[]> {
    return this.bus.request(AccountsSubjects.listCharacters, {}, { principal });
  }
}
