import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Meta, type RequestMeta } from '@trustno1/bus';
import {
  decayVehiclesRequest,
  parsePayload,
  spawnVehicleBody,
  updateVehicleRequest,
  vehicleIdRequest,
  vehicleKeyRequest,
  VehicleSubjects,
  type VehicleDecayView,
  type VehicleView,
} from '@trustno1/contracts';
import { idempotencyClaim } from '@trustno1/db';
import { requireAdmin, requireServer } from '../common/principals';
import { VehiclesService } from './vehicles.service';

/** Vehicles are world objects: game servers spawn, drive and lock them; the worker decays them. */
@Controller()
export class VehiclesController {
  constructor(private readonly vehicles: VehiclesService) {}

  @MessagePattern(VehicleSubjects.spawn)
  spawn(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<VehicleView> {
    const body = parsePayload(spawnVehicleBody, payload);
    const serverId = requireServer(meta.principal);
    return this.vehicles.spawn(serverId, body, idempotencyClaim(VehicleSubjects.spawn, payload, meta));
  }

  @MessagePattern(VehicleSubjects.get)
  get(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<VehicleView> {
    const { vehicleId } = parsePayload(vehicleIdRequest, payload);
    requireServer(meta.principal);
    return this.vehicles.get(vehicleId);
  }

  @MessagePattern(VehicleSubjects.update)
  update(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<VehicleView> {
    const request = parsePayload(updateVehicleRequest, payload);
    requireServer(meta.principal);
    return this.vehicles.update(request, idempotencyClaim(VehicleSubjects.update, payload, meta));
  }

  @MessagePattern(VehicleSubjects.lock)
  lock(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<VehicleView> {
    const { vehicleId, keyCode } = parsePayload(vehicleKeyRequest, payload);
    requireServer(meta.principal);
    return this.vehicles.setLock(
      vehicleId,
      true,
      keyCode,
      idempotencyClaim(VehicleSubjects.lock, payload, meta),
    );
  }

  @MessagePattern(VehicleSubjects.unlock)
  unlock(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<VehicleView> {
    const { vehicleId, keyCode } = parsePayload(vehicleKeyRequest, payload);
    requireServer(meta.principal);
    return this.vehicles.setLock(
      vehicleId,
      false,
      keyCode,
      idempotencyClaim(VehicleSubjects.unlock, payload, meta),
    );
  }

  /** The `vehicles.decay` schedule's tick (worker, admin principal). */
  @MessagePattern(VehicleSubjects.decay)
  decay(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<VehicleDecayView> {
    const { now } = parsePayload(decayVehiclesRequest, payload);
    requireAdmin(meta.principal);
    return this.vehicles.decay(new Date(now));
  }
}
