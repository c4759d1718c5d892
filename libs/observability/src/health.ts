import { Controller, Get, Global, Injectable, Module, Res, type DynamicModule } from '@nestjs/common';

/** One dependency an app needs to do its work. */
export interface HealthCheck {
  /** Shown in the readiness answer, e.g. `postgres`, `redis`, `nats`, `service:inventory`. */
  readonly name: string;
  /** Resolves when the dependency answers; rejects (or times out) otherwise. */
  check(): Promise<void>;
}

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, { status: 'up' | 'down'; error?: string; ms: number }>;
}

/** Collects the checks that modules register and runs them with a timeout each. */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();
  private shuttingDown = false;
  timeoutMs = 1_500;

  register(check: HealthCheck): void {
    this.checks.set(check.name, check);
  }

  /** Readiness fails from the moment shutdown starts, so load balancers stop sending work. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async readiness(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks.values()].map(async (check) => [check.name, await this.run(check)] as const),
    );
    const checks = Object.fromEntries(entries);
    if (this.shuttingDown) checks['shutdown'] = { status: 'down', error: 'shutting down', ms: 0 };
    const ok = Object.values(checks).every((c) => c.status === 'up');
    return { status: ok ? 'ok' : 'unavailable', checks };
  }

  private async run(check: HealthCheck): Promise<ReadinessReport['checks'][string]> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        check.check(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${this.timeoutMs} ms`)),
            this.timeoutMs,
          );
        }),
      ]);
      return { status: 'up', ms: Math.round(performance.now() - started) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { status: 'down', error: message, ms: Math.round(performance.now() - started) };
    } finally {
      clearTimeout(timer);
    }
  }
}

interface ReplyLike {
  status(code: number): ReplyLike;
  send(body: unknown): unknown;
}

@Controller('health')
class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res() reply: ReplyLike): Promise<void> {
    const report = await this.registry.readiness();
    if (report.status === 'ok') {
      reply.status(200).send(report);
      return;
    }
    const down = Object.entries(report.checks)
      .filter(([, c]) => c.status === 'down')
      .map(([name]) => name);
    reply.status(503).send({ ...report, down });
  }
}

/** Serves `GET /health/live` and `GET /health/ready` and provides `HealthRegistry`. */
@Global()
@Module({})
export class HealthModule {
  static forRoot(): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [HealthRegistry],
      exports: [HealthRegistry],
    };
  }
}
