import { FakeApiError } from '../errors';

/** GitHub's 422 for a request body that breaks its schema. */
export function invalidRequest(detail: string): FakeApiError {
  return new FakeApiError(422, `Invalid request.\n\n${detail}`);
}

export function bodyObject(body: unknown): Readonly<Record<string, unknown>> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

export function optionalString(body: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw invalidRequest(`For 'properties/${name}', ${JSON.stringify(value)} is not a string.`);
  return value;
}

export function requiredString(body: Readonly<Record<string, unknown>>, name: string): string {
  const value = optionalString(body, name);
  if (value === undefined) throw invalidRequest(`"${name}" wasn't supplied.`);
  return value;
}

/** A string that may also be null (e.g. an issue body). */
export function nullableString(body: Readonly<Record<string, unknown>>, name: string): string | null | undefined {
  return body[name] === null ? null : optionalString(body, name);
}

export function optionalBoolean(body: Readonly<Record<string, unknown>>, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw invalidRequest(`For 'properties/${name}', ${JSON.stringify(value)} is not a boolean.`);
  return value;
}

/** A list of strings; label lists may also hold `{ name }` objects. */
export function optionalStrings(body: Readonly<Record<string, unknown>>, name: string): string[] | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidRequest(`For 'properties/${name}', ${JSON.stringify(value)} is not an array.`);
  return value.map((item: unknown) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'object' && item !== null && typeof (item as { name?: unknown }).name === 'string') return (item as { name: string }).name;
    throw invalidRequest(`For 'items', ${JSON.stringify(item)} is not a string.`);
  });
}

export function optionalObject(body: Readonly<Record<string, unknown>>, name: string): Readonly<Record<string, unknown>> | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidRequest(`For 'properties/${name}', ${JSON.stringify(value)} is not an object.`);
  return value as Record<string, unknown>;
}
