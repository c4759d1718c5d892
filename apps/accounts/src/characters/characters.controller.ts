import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { AccountsOps, type RequestOf } from '@trustno1/contracts';
import { CharactersService } from './characters.service';

const { createCharacter, listCharacters } = AccountsOps;

/** Characters are only ever touched by their own player. */
@Controller()
export class CharactersController {
  constructor(private readonly characters: CharactersService) {}

  @Handle(createCharacter)
  create(request: RequestOf<typeof createCharacter>, call: Call<typeof createCharacter>) {
    return this.characters.create(call.principal.accountId, request.name, call.idempotency);
  }

  @Handle(listCharacters)
  list(_request: RequestOf<typeof listCharacters>, call: Call<typeof listCharacters>) {
    return this.characters.list(call.principal.accountId);
  }
}
