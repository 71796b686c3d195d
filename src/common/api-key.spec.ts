import { bearerToken, callerTracker, keyFingerprint, matchesAnyKey } from './api-key';

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['Bearer   abc  ', 'abc'],
    ['Basic abc', null],
    ['Bearer', null],
    ['Bearer a b', null],
    ['', null],
    [undefined, null],
  ])('%p → %p', (header, expected) => {
    expect(bearerToken(header)).toBe(expected);
  });
});

describe('matchesAnyKey', () => {
  it('accepts any of the rotation keys and nothing else', () => {
    const keys = ['old-key-aaaaaaaa', 'new-key-bbbbbbbb'];
    expect(matchesAnyKey('old-key-aaaaaaaa', keys)).toBe(true);
    expect(matchesAnyKey('new-key-bbbbbbbb', keys)).toBe(true);
    expect(matchesAnyKey('new-key-bbbbbbb', keys)).toBe(false);
    expect(matchesAnyKey('', keys)).toBe(false);
    expect(matchesAnyKey('old-key-aaaaaaaa', [])).toBe(false);
  });

  it('fingerprints keys without revealing them', () => {
    expect(keyFingerprint('secret')).toHaveLength(16);
    expect(keyFingerprint('secret')).not.toContain('secret');
    expect(keyFingerprint('a')).not.toBe(keyFingerprint('b'));
  });

  it('keeps a fingerprint stable while hundreds of other keys come and go', () => {
    const first = keyFingerprint('rotating-key');
    for (let i = 0; i < 1000; i++) keyFingerprint(`other-key-${i}`);
    expect(keyFingerprint('rotating-key')).toBe(first);
  });

  it.each([
    [{ authorization: 'Bearer secret' }, '10.0.0.1', `key:${keyFingerprint('secret')}`],
    [{ authorization: ['Bearer secret', 'Bearer other'] }, '10.0.0.1', `key:${keyFingerprint('secret')}`],
    [{}, '10.0.0.1', 'ip:10.0.0.1'],
    [{ authorization: 'Basic c2VjcmV0' }, '10.0.0.2', 'ip:10.0.0.2'],
  ])('counts %j from %s against %s', (headers, ip, tracker) => {
    expect(callerTracker(headers, ip)).toBe(tracker);
  });
});
