package io.kafkube.load;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * How fast the machine runs a fixed piece of work right now, in milliseconds: sorting a quarter of a million
 * pseudo-random ints and filling and reading a map of a hundred thousand entries, on every core at once (the
 * best of three on each, averaged over the cores). The work does not depend on kafkube, so on a shared virtual
 * machine it tells how fast the machine was around a measured phase: between runs of the API benchmark with
 * the same code, the CPU per create moved by half with no CPU stolen. All cores work together because the
 * benchmark keeps them all busy: a core alone may run faster than two together on a shared host.
 */
public final class CpuProbe {
  private static final int INTS = 1 << 18;
  private static final int ENTRIES = 100_000;
  private static volatile long sink;

  private CpuProbe() {}

  /** The fixed work's time on each core at once: the best of three per core, the mean over the cores. */
  public static double millis() {
    int cores = Runtime.getRuntime().availableProcessors();
    long[] best = new long[cores];
    Thread[] threads = new Thread[cores];
    for (int c = 0; c < cores; c++) {
      int core = c;
      threads[c] = new Thread(() -> best[core] = bestOfThree(core), "cpu-probe-" + c);
      threads[c].start();
    }
    double sum = 0;
    for (int c = 0; c < cores; c++) {
      try {
        threads[c].join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Double.NaN;
      }
      sum += best[c];
    }
    return sum / cores / 1e6;
  }

  private static long bestOfThree(int core) {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      sink += work(42 + i + core);
      best = Math.min(best, System.nanoTime() - start);
    }
    return best;
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
