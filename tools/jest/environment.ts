/**
 * Jest's node environment, except that `fetch` answers parse JSON in the spec's own realm.
 *
 * Jest runs every spec file in a vm context with its own `Object` and `Array`; Node's `fetch` lives
 * outside it, so `await response.json()` would build objects of the other realm, which node:assert's
 * deepStrictEqual (it compares prototypes) never finds equal to a literal written in the spec.
 */
import NodeEnvironment from 'jest-environment-node';

type Sandbox = typeof globalThis;

/** Makes `json()` of a response, and of its clones, parse with the sandbox's JSON. */
function parsedInSandbox(response: Response, sandbox: Sandbox): Response {
  const clone = response.clone.bind(response);
  return Object.defineProperties(response, {
    json: { value: async () => sandbox.JSON.parse(await response.text()) as unknown },
    clone: { value: () => parsedInSandbox(clone(), sandbox) },
  });
}

export default class TestEnvironment extends NodeEnvironment {
  constructor(...args: ConstructorParameters<typeof NodeEnvironment>) {
    super(...args);
    const sandbox = this.global as unknown as Sandbox;
    const outerFetch = globalThis.fetch;
    sandbox.fetch = async (input, init) => parsedInSandbox(await outerFetch(input, init), sandbox);
  }
}
