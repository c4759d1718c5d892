/** Every (method, path pattern) the gateway serves, to tell a wrong method (405) from no route (404). */
export class RouteIndex {
  private readonly routes: { method: string; pattern: RegExp }[] = [];

  /** Records a route as Fastify registers it (`/v1/items/:id/move`). */
  add(method: string | string[], url: string): void {
    const source = url
      .split('/')
      .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    for (const m of Array.isArray(method) ? method : [method]) {
      this.routes.push({ method: m.toUpperCase(), pattern: new RegExp(`^${source}/?$`) });
    }
  }

  /** The methods served at `path` (without its query), sorted; empty when no route matches it. */
  methodsAt(path: string): string[] {
    const bare = path.split('?')[0];
    const methods = new Set(this.routes.filter((r) => r.pattern.test(bare)).map((r) => r.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  }
}
