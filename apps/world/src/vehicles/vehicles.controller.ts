import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { WorldOps, type RequestOf } from '@trustno1/contracts';
import { VehiclesService } from './vehicles.service';

const { spawnVehicle, getVehicle, updateVehicle, lockVehicle, unlockVehicle, decayVehicles } = WorldOps;

/** Vehicles are world objects: game servers spawn, drive and lock them; the worker decays them. */
@Controller()
export class VehiclesController {
  constructor(private readonly vehicles: VehiclesService) {}

  @Handle(spawnVehicle)
  spawn(request: RequestOf<typeof spawnVehicle>, call: Call<typeof spawnVehicle>) {
    return this.vehicles.spawn(call.principal.serverId, request, call.idempotency);
  }

  @Handle(getVehicle)
  get(request: RequestOf<typeof getVehicle>) {
    return this.vehicles.get(request.vehicleId);
  }

  @Handle(updateVehicle)
  update(request: RequestOf<typeof updateVehicle>, call: Call<typeof updateVehicle>) {
    return this.vehicles.update(request, call.idempotency);
  }

  @Handle(lockVehicle)
  lock(request: RequestOf<typeof lockVehicle>, call: Call<typeof lockVehicle>) {
    return this.vehicles.setLock(request.vehicleId, true, request.keyCode, call.idempotency);
  }

  @Handle(unlockVehicle)
  unlock(request: RequestOf<typeof unlockVehicle>, call: Call<typeof unlockVehicle>) {
    return this.vehicles.setLock(request.vehicleId, false, request.keyCode, call.idempotency);
  }

  /** The `vehicles.decay` schedule's tick (worker, admin principal). */
  @Handle(decayVehicles)
  decay(request: RequestOf<typeof decayVehicles>) {
    return this.vehicles.decay(new Date(request.now));
  }
}
