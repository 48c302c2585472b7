package io.kafkube.agent.runtime;

import java.util.Set;

/**
 * Hands out pod addresses from a node's IPv4 pod range, e.g. {@code 127.2.0.0/16}: never the network
 * address, the first address (the "gateway" of a Kubernetes pod CIDR) or the broadcast address.
 */
public final class PodIpAllocator {
  private final String cidr;
  private final long base;
  private final long size;

  public PodIpAllocator(String cidr) {
    this.cidr = cidr;
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a CIDR: " + cidr);
    }
    int bits = Integer.parseInt(cidr.substring(slash + 1));
    if (bits < 8 || bits > 30) {
      throw new IllegalArgumentException("pod range must be /8 to /30: " + cidr);
    }
    long addr = toLong(cidr.substring(0, slash));
    this.size = 1L << (32 - bits);
    this.base = addr & ~(size - 1);
  }

  public String cidr() {
    return cidr;
  }

  /** The lowest free address, skipping those in use. */
  public String allocate(Set<String> inUse) {
    for (long i = 2; i < size - 1; i++) {
      String ip = toString(base + i);
      if (!inUse.contains(ip)) {
        return ip;
      }
    }
    throw new IllegalStateException("the pod range " + cidr + " is exhausted");
  }

  public boolean contains(String ip) {
    try {
      long v = toLong(ip);
      return v >= base && v < base + size;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static long toLong(String ip) {
    String[] p = ip.split("\\.");
    if (p.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + ip);
    }
    long v = 0;
    for (String s : p) {
      int o = Integer.parseInt(s);
      if (o < 0 || o > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + ip);
      }
      v = (v << 8) | o;
    }
    return v;
  }

  static String toString(long v) {
    return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
  }
}
