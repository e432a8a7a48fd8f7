// Outbound address guard: every probe (SMTP, HTTPS) asks it before connecting, so a domain
// whose records point at internal addresses cannot make the service scan its own network.
import { BlockList, isIP } from 'node:net';

export interface GuardDecision {
  allowed: boolean;
  /** why the address is refused (private, loopback, …) */
  reason?: string;
  reasonZh?: string;
}

export interface AddressGuard {
  check(ip: string): GuardDecision;
}

// [network, prefix, family, reason (en), reason (zh)]
const REFUSED: Array<[string, number, 'ipv4' | 'ipv6', string, string]> = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified ("this network")', '未指定（“本网络”）'],
  ['10.0.0.0', 8, 'ipv4', 'private (RFC 1918)', '私有（RFC 1918）'],
  ['100.64.0.0', 10, 'ipv4', 'carrier-grade NAT / cloud metadata (RFC 6598)', '运营商级 NAT / 云元数据（RFC 6598）'],
  ['127.0.0.0', 8, 'ipv4', 'loopback', '本机回环'],
  ['169.254.0.0', 16, 'ipv4', 'link-local / cloud metadata', '链路本地 / 云元数据'],
  ['172.16.0.0', 12, 'ipv4', 'private (RFC 1918)', '私有（RFC 1918）'],
  ['192.0.0.0', 24, 'ipv4', 'IETF protocol assignments', 'IETF 协议保留'],
  ['192.168.0.0', 16, 'ipv4', 'private (RFC 1918)', '私有（RFC 1918）'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking', '基准测试保留'],
  ['224.0.0.0', 4, 'ipv4', 'multicast', '组播'],
  ['240.0.0.0', 4, 'ipv4', 'reserved / broadcast', '保留 / 广播'],
  ['::', 128, 'ipv6', 'unspecified', '未指定'],
  ['::1', 128, 'ipv6', 'loopback', '本机回环'],
  ['64:ff9b:1::', 48, 'ipv6', 'local-use NAT64', '本地 NAT64'],
  ['fc00::', 7, 'ipv6', 'unique local (includes cloud metadata fd00:ec2::254)', '唯一本地（含云元数据 fd00:ec2::254）'],
  ['fe80::', 10, 'ipv6', 'link-local', '链路本地'],
  ['ff00::', 8, 'ipv6', 'multicast', '组播'],
];

function parseEntry(list: BlockList, entry: string): void {
  const [addr, prefix] = entry.trim().split('/');
  const family = isIP(addr ?? '');
  if (!addr || family === 0) throw new Error(`address guard: "${entry}" is not an IP address or CIDR range`);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (prefix === undefined) list.addAddress(addr, type);
  else list.addSubnet(addr, Number(prefix), type);
}

/** IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address it carries. */
function unmap(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1]! : ip;
}

export function createAddressGuard(options: { allow?: string[] } = {}): AddressGuard {
  const allow = new BlockList();
  for (const entry of options.allow ?? []) parseEntry(allow, entry);
  const refused = REFUSED.map(([net, prefix, type, reason, reasonZh]) => {
    const list = new BlockList();
    list.addSubnet(net, prefix, type);
    return { list, reason, reasonZh };
  });
  return {
    check(raw: string): GuardDecision {
      const ip = unmap(raw.trim());
      const family = isIP(ip);
      if (family === 0) return { allowed: false, reason: 'not an IP address', reasonZh: '不是 IP 地址' };
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (allow.check(ip, type)) return { allowed: true };
      const hit = refused.find((r) => r.list.check(ip, type));
      return hit ? { allowed: false, reason: hit.reason, reasonZh: hit.reasonZh } : { allowed: true };
    },
  };
}
