/**
 * Bytes of an HTML page to text. sii.cl serves many pages as ISO-8859-1 / windows-1252, often
 * with the charset only in a <meta> tag, so: the Content-Type charset, else the <meta> one, else
 * UTF-8 when the bytes are valid UTF-8, else windows-1252 (a superset of ISO-8859-1 that browsers
 * use for it).
 */
export function decodeHtml(bytes: Uint8Array, contentType?: string | null): string {
  const declared = charsetOf(contentType ?? '') ?? metaCharset(bytes);
  if (declared) {
    try {
      return new TextDecoder(declared).decode(bytes);
    } catch {
      /* unknown label: sniff below */
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function charsetOf(contentType: string): string | undefined {
  return /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1]?.toLowerCase();
}

function metaCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  return /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1]?.toLowerCase();
}
