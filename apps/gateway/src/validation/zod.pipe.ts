import { Injectable, type PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { parsePayload } from '@trustno1/contracts';

/** Validates a body, query or parameter with a contracts schema; 400 names each bad field. */
@Injectable()
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    return parsePayload(this.schema, value);
  }
}

/** A path parameter that must be a UUID, named in the error when it is not. */
export function uuidParam(name: string): ZodPipe<z.ZodType<string>> {
  return new ZodPipe(
    z.string().check((ctx) => {
      if (!z.uuid().safeParse(ctx.value).success)
        ctx.issues.push({ code: 'custom', message: 'must be a UUID', path: [name], input: ctx.value });
    }),
  );
}
