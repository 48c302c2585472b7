package io.kafkube.api.allocation;

import java.util.Locale;

/**
 * Where Services get their addresses: ClusterIPs from a loopback range ({@code 127.1.0.0/16} by
 * default, DESIGN §7; its network and broadcast addresses are never handed out, as kube's range
 * allocator skips them) and NodePorts from {@code 30000-32767} (kube's {@code --service-node-port-range}).
 *
 * @param ipBase    the range's network address as an unsigned 32-bit number
 * @param prefixLen the range's prefix length
 * @param portMin   lowest NodePort
 * @param portMax   highest NodePort
 */
public record ServiceRanges(long ipBase, int prefixLen, int portMin, int portMax) {
  public static final ServiceRanges DEFAULT = new ServiceRanges(parse("127.1.0.0"), 16, 30000, 32767);

  public ServiceRanges {
    if (prefixLen < 8 || prefixLen > 30) {
      throw new IllegalArgumentException("prefix length must be within 8..30: " + prefixLen);
    }
    if (portMin < 1 || portMax > 65535 || portMin > portMax) {
      throw new IllegalArgumentException("invalid port range " + portMin + "-" + portMax);
    }
  }

  /** How many addresses can be handed out (network and broadcast excluded). */
  public long ipCount() {
    return (1L << (32 - prefixLen)) - 2;
  }

  /** The {@code i}-th allocatable address, 0-based. */
  public String ip(long i) {
    return format(ipBase + 1 + i);
  }

  /** Whether {@code ip} is an allocatable address of the range. */
  public boolean containsIp(String ip) {
    long v;
    try {
      v = parse(ip);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return v > ipBase && v < ipBase + (1L << (32 - prefixLen)) - 1;
  }

  public boolean containsPort(int port) {
    return port >= portMin && port <= portMax;
  }

  /** The CIDR, for messages: {@code 127.1.0.0/16}. */
  public String cidr() {
    return format(ipBase) + "/" + prefixLen;
  }

  public String portRange() {
    return portMin + "-" + portMax;
  }

  static long parse(String ip) {
    String[] parts = ip.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + ip);
    }
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("not an IPv4 address: " + ip);
      }
      int b = Integer.parseInt(p);
      if (b > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + ip);
      }
      v = v << 8 | b;
    }
    return v;
  }

  static String format(long v) {
    return String.format(Locale.ROOT, "%d.%d.%d.%d", v >>> 24 & 255, v >>> 16 & 255, v >>> 8 & 255, v & 255);
  }
}
