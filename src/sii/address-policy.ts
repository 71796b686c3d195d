import { BlockList, isIP, type LookupFunction } from 'node:net';
import { lookup as dnsLookup } from 'node:dns';
import { PageFetchError } from './sii-fetcher.port';

/**
 * Addresses the SII fetcher never connects to: unspecified, loopback, private, carrier-grade NAT,
 * link-local (cloud metadata at 169.254.169.254), benchmark, multicast and reserved ranges, in IPv4
 * and IPv6 (IPv4-mapped IPv6 addresses are checked against the IPv4 ranges by BlockList itself).
 */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return !NOT_PUBLIC.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** A URL's host as a bare name or address (`[::1]` → `::1`), lower-cased. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();

export const refusedAddress = (host: string, address: string) =>
  new PageFetchError(
    `El sitio ${host} corresponde a una dirección privada o local (${address}); no se consulta.`,
    'PRIVATE_ADDRESS',
  );

/**
 * Wraps a DNS lookup so a connection to a non-public address fails before it is made, unless the
 * host is one an operator allowed explicitly (SII_ALLOWED_PRIVATE_HOSTS). It checks what the
 * socket will connect to, after resolution, so a rebinding DNS cannot slip an internal address in.
 */
export function guardedLookup(privateHosts: ReadonlySet<string>, lookup: LookupFunction = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, options, (err: NodeJS.ErrnoException | null, address: unknown, family?: number) => {
      if (err) return (callback as any)(err);
      const all = Array.isArray(address) ? (address as { address: string }[]) : [{ address: address as string }];
      const blocked = all.find((a) => !isPublicAddress(a.address));
      if (blocked && !privateHosts.has(hostname.toLowerCase()))
        return (callback as any)(refusedAddress(hostname, blocked.address));
      (callback as any)(null, address, family);
    });
  };
}
