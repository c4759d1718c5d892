/** The names one service name gives its files, classes and constants. */
export interface ServiceNames {
  /** `combat`: app folder, Nx project, NATS subject prefix, SQL schema, route prefix. */
  name: string;
  /** `Combat`: class and constant prefix. */
  className: string;
  /** The default HEALTH_PORT. */
  port: number;
  /** project.json's one-line description. */
  description: string;
}

/** `combat` → `Combat`. */
export function classNameOf(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Refuses a name that cannot be a folder, a subject prefix, a SQL schema and a class prefix at once. */
export function assertServiceName(name: string): void {
  if (!/^[a-z][a-z0-9]{1,30}$/.test(name)) {
    throw new Error(
      `service name "${name}" must be 2 to 31 lowercase letters or digits, starting with a letter`,
    );
  }
  if (['gateway', 'worker', 'platform', 'public', 'common', 'shared'].includes(name)) {
    throw new Error(`"${name}" is taken by the platform; pick the domain's name`);
  }
}
