/** Applies the optional isolation prefix (`t123.`) to a subject used on the wire. */
export function withPrefix(prefix: string | undefined, subject: string): string {
  return `${prefix ?? ''}${subject}`;
}

/** Removes the isolation prefix, so handlers see the subject of the contract. */
export function withoutPrefix(prefix: string | undefined, subject: string): string {
  return prefix && subject.startsWith(prefix) ? subject.slice(prefix.length) : subject;
}

/** Default JetStream stream holding every domain event. */
export const DEFAULT_STREAM = 'EVENTS';

/** Subjects captured by the events stream (`evt.<domain>.<entity>.<past-tense>.v1`). */
export function eventsStreamSubjects(prefix?: string): string[] {
  return [withPrefix(prefix, 'evt.>')];
}
