// Reading and checking JSON answers.
import { expect } from 'vitest';

/** The body as JSON; a body that is not JSON fails with the status and the text. */
export async function json(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`not JSON (${res.status}): ${text}`);
  }
}

/** An OAuth error answer: exactly this status and body, as uncached JSON. */
export async function expectError(res: Response, status: number, body: Record<string, string>) {
  expect({ status: res.status, body: await json(res) }).toEqual({ status, body });
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('cache-control')).toBe('no-store');
}
