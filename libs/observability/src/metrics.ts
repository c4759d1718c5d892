import { Controller, Get, Global, Header, Inject, Module, type DynamicModule } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Injection token of the app's Prometheus registry. */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/** The metrics every app exports, besides Node's defaults. */
export class AppMetrics {
  readonly requestDuration: Histogram<'transport' | 'route' | 'code'>;
  readonly slowStatements: Counter<'statement'>;
  readonly jobs: Counter<'queue' | 'outcome'>;

  constructor(readonly registry: Registry) {
    this.requestDuration = new Histogram({
      name: 'tn1_request_duration_seconds',
      help: 'Time to answer an HTTP request or a NATS request, by route and result code',
      labelNames: ['transport', 'route', 'code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    this.slowStatements = new Counter({
      name: 'tn1_slow_statements_total',
      help: 'SQL statements that took longer than 100 ms',
      labelNames: ['statement'],
      registers: [registry],
    });
    this.jobs = new Counter({
      name: 'tn1_jobs_total',
      help: 'Background jobs processed, by queue and outcome',
      labelNames: ['queue', 'outcome'],
      registers: [registry],
    });
  }
}

@Controller()
class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

/** Serves `GET /metrics` and provides `AppMetrics` to the whole app. */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(service: string): DynamicModule {
    const registry = new Registry();
    registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: registry });
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [
        { provide: METRICS_REGISTRY, useValue: registry },
        { provide: AppMetrics, useValue: new AppMetrics(registry) },
      ],
      exports: [METRICS_REGISTRY, AppMetrics],
    };
  }
}
