import { Module } from '@nestjs/common';
import type { DynamicModule, InjectionToken, OptionalFactoryDependency } from '@nestjs/common';
import { BUS_OPTIONS, BusClient } from './rpc/bus-client';
import type { BusOptions } from './rpc/bus-client';

/** Options of `BusModule.forRootAsync` (e.g. built from the validated config). */
export interface BusModuleAsyncOptions {
  imports?: DynamicModule['imports'];
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  useFactory: (...args: never[]) => BusOptions | Promise<BusOptions>;
}

/** Provides `BusClient` (NATS request/reply) configured for one service. */
@Module({})
export class BusModule {
  static forRoot(options: BusOptions): DynamicModule {
    return BusModule.with([{ provide: BUS_OPTIONS, useValue: options }]);
  }

  static forRootAsync(options: BusModuleAsyncOptions): DynamicModule {
    const { imports, inject, useFactory } = options;
    return { ...BusModule.with([{ provide: BUS_OPTIONS, useFactory, inject }]), imports };
  }

  private static with(providers: NonNullable<DynamicModule['providers']>): DynamicModule {
    return { module: BusModule, global: true, providers: [...providers, BusClient], exports: [BusClient] };
  }
}
