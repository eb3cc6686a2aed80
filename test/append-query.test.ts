import { describe, expect, it } from 'vitest';
import { appendQuery } from '../src/http/errors.js';

describe('appendQuery', () => {
  it('keeps an existing query byte for byte and encodes what it adds', () => {
    expect(appendQuery('https://app.test/cb?a=b/c&flag', { code: 'x y', state: 'a&b' })).toBe(
      'https://app.test/cb?a=b/c&flag&code=x+y&state=a%26b',
    );
    expect(appendQuery('https://app.test/cb', { code: 'c', state: undefined })).toBe('https://app.test/cb?code=c');
    expect(appendQuery('https://app.test/cb?', { code: 'c' })).toBe('https://app.test/cb?code=c');
    expect(appendQuery('myapp://callback', { error: 'access_denied' })).toBe('myapp://callback?error=access_denied');
  });
});
