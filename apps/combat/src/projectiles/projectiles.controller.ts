import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { ProjectileOps, type RequestOf } from '@trustno1/contracts';
import { ProjectilesService } from './projectiles.service';

const { launchProjectile, removeProjectile, listProjectiles } = ProjectileOps;

@Controller()
export class ProjectilesController {
  constructor(private readonly projectiles: ProjectilesService) {}

  @Handle(launchProjectile)
  launch(request: RequestOf<typeof launchProjectile>, call: Call<typeof launchProjectile>) {
    return this.projectiles.launch(call.principal, request);
  }

  @Handle(removeProjectile)
  remove(request: RequestOf<typeof removeProjectile>, call: Call<typeof removeProjectile>) {
    return this.projectiles.remove(call.principal, request.projectileId);
  }

  @Handle(listProjectiles)
  list(_request: RequestOf<typeof listProjectiles>, call: Call<typeof listProjectiles>) {
    return this.projectiles.list(call.principal);
  }
}
