package io.kafkube.load;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * How fast the machine runs a fixed piece of work right now, in milliseconds: sorting a quarter of a million
 * pseudo-random ints and filling and reading a map of a hundred thousand entries, on the calling thread, the
 * best of three. The work does not depend on kafkube, so on a shared virtual machine it tells how fast the
 * machine was around a measured phase: between runs of the API benchmark with the same code, the CPU per create
 * moved by half with no CPU stolen, and this probe moves with it. Two runs' CPU per operation compare only
 * beside their probes.
 */
public final class CpuProbe {
  private static final int INTS = 1 << 18;
  private static final int ENTRIES = 100_000;
  private static volatile long sink;

  private CpuProbe() {}

  /** The best of three timings of the fixed work, in milliseconds. */
  public static double millis() {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      sink += work(42 + i);
      best = Math.min(best, System.nanoTime() - start);
    }
    return best / 1e6;
  }

  /** The fixed work; its result only keeps the compiler from dropping it. */
  static long work(long seed) {
    int[] a = new int[INTS];
    long x = seed;
    for (int i = 0; i < INTS; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      a[i] = (int) (x >>> 33);
    }
    Arrays.sort(a);
    Map<Integer, Integer> m = new HashMap<>();
    for (int i = 0; i < ENTRIES; i++) {
      m.put(a[i * (INTS / ENTRIES)], i);
    }
    long sum = a[0] + a[INTS - 1];
    for (int i = 0; i < ENTRIES; i++) {
      Integer v = m.get(a[i * (INTS / ENTRIES)]);
      sum += v == null ? 0 : v;
    }
    return sum;
  }
}
