import { SetMetadata } from '@nestjs/common';
import type { Principal } from '@trustno1/contracts';

export type PrincipalKind = Principal['kind'];

export const ACCESS_METADATA = 'tn1:access';

/**
 * Who may call a `/v1` route (SPEC §7/§8). `anonymous` opens a route to everyone; a `/v1` route
 * without this decorator refuses every caller, so a forgotten decorator fails closed.
 */
export const Access = (...kinds: PrincipalKind[]) => SetMetadata(ACCESS_METADATA, kinds);
