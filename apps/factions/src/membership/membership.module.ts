import { Module } from '@nestjs/common';
import { MembershipController } from './membership.controller';
import { MembershipRepository } from './membership.repository';
import { MembershipService } from './membership.service';

/** Factions and their members (issue 14, rules 1 and 2). */
@Module({ controllers: [MembershipController], providers: [MembershipService, MembershipRepository] })
export class MembershipModule {}
