// Tool inputs: what tools/list publishes for them, and how tools/call checks the arguments before a
// tool runs (Glossia validates with Peri, reference 11A.3). Pure functions.

/**
 * `number` and `maps` (a list of objects) are the two field types Glossia's schema generator does
 * not know: they are published without a `type`, and the server as deployed refuses every value
 * for them (reference 11A.2). `accepts` says whether a profile lets them through.
 */
export type InputKind = 'string' | 'integer' | 'boolean' | 'number' | 'maps';

export interface Input {
  kind: InputKind;
  description: string;
  required?: boolean;
}

export type Inputs = Readonly<Record<string, Input>>;

export interface JsonSchema {
  type: 'object';
  properties: Record<string, { type?: string; description: string }>;
  required?: string[];
}

const PUBLISHED_TYPE: Readonly<Record<InputKind, string | undefined>> = {
  string: 'string',
  integer: 'integer',
  boolean: 'boolean',
  number: undefined,
  maps: undefined,
};

/** The `inputSchema` Glossia publishes: no defaults, enums or formats; `required` only when non-empty. */
export function inputSchema(inputs: Inputs): JsonSchema {
  const properties: JsonSchema['properties'] = {};
  for (const [name, input] of Object.entries(inputs)) {
    const type = PUBLISHED_TYPE[input.kind];
    properties[name] = type ? { description: input.description, type } : { description: input.description };
  }
  const required = Object.keys(inputs).filter((n) => inputs[n]!.required);
  return required.length > 0 ? { properties, required, type: 'object' } : { properties, type: 'object' };
}

const ELIXIR_TYPE: Readonly<Record<InputKind, string>> = {
  string: ':string',
  integer: ':integer',
  boolean: ':boolean',
  number: ':number',
  maps: '{:array, :map}',
};

/** Elixir's `inspect` of a decoded JSON scalar, as Peri quotes the value it refused. */
function inspect(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fits(kind: InputKind, value: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number';
    case 'maps':
      return Array.isArray(value) && value.every(isObject);
  }
}

/** What is wrong with one argument, in Peri's words, or null. */
function problem(input: Input, value: unknown, acceptUntyped: boolean): string | null {
  const type = ELIXIR_TYPE[input.kind];
  if (value === undefined || value === null) return input.required ? `is required, expected type of ${type}` : null;
  if (!acceptUntyped && input.kind === 'maps' && Array.isArray(value)) return `expected a nested schema but received schema: ${type}`;
  if (!acceptUntyped && input.kind === 'number') return `expected type of ${type} received ${inspect(value)} value`;
  if (fits(input.kind, value)) return null;
  if (input.kind !== 'maps' && typeof value === 'object') return `expected a nested schema but received schema: ${type}`;
  return `expected type of ${type} received ${typeof value === 'object' ? JSON.stringify(value) : inspect(value)} value`;
}

export type Checked = { ok: true; args: Record<string, unknown> } | { ok: false; message: string };

/**
 * Unknown arguments are dropped, `null` counts as absent, types are strict. The failures are
 * joined by "; ", each "<field>: <message>" (reference 11A.3).
 */
export function checkArguments(inputs: Inputs, raw: Record<string, unknown>, acceptUntyped: boolean): Checked {
  const args: Record<string, unknown> = {};
  const failures: string[] = [];
  for (const [name, input] of Object.entries(inputs)) {
    const value = raw[name];
    const wrong = problem(input, value, acceptUntyped);
    if (wrong) failures.push(`${name}: ${wrong}`);
    else if (value !== undefined && value !== null) args[name] = value;
  }
  return failures.length > 0 ? { ok: false, message: failures.join('; ') } : { ok: true, args };
}
