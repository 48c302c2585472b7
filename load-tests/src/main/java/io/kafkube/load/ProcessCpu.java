package io.kafkube.load;

import java.lang.management.ManagementFactory;

/**
 * The CPU time this JVM has used, to print beside a benchmark's throughput: on a shared machine the
 * CPU spent per operation says more about a change than the wall-clock rate does.
 */
public final class ProcessCpu {
  private final long startCpuNanos;
  private final long startWallNanos;

  private ProcessCpu() {
    this.startCpuNanos = now();
    this.startWallNanos = System.nanoTime();
  }

  /** Starts measuring. */
  public static ProcessCpu start() {
    return new ProcessCpu();
  }

  /** {@code "CPU 12.3 core-s (1.71 cores busy), 1.23 ms per op"} since {@link #start()}. */
  public String summary(long operations) {
    double cpu = (now() - startCpuNanos) / 1e9;
    double wall = (System.nanoTime() - startWallNanos) / 1e9;
    return String.format(java.util.Locale.ROOT, "CPU %.1f core-s (%.2f of %d cores busy), %.2f ms per op", cpu,
        wall > 0 ? cpu / wall : 0, Runtime.getRuntime().availableProcessors(),
        operations > 0 ? cpu * 1000 / operations : 0);
  }

  /** CPU nanoseconds this JVM used since {@link #start()}. */
  public long cpuNanos() {
    return now() - startCpuNanos;
  }

  /**
   * Waits until this JVM is quiet (under {@code busyCores} busy over half a second), at most {@code maxMillis};
   * returns the milliseconds it waited. A benchmark's measured phase then does not start in the wake of its
   * warm-up (compilations still queued, deletes still being applied downstream).
   */
  public static long awaitQuiet(double busyCores, long maxMillis) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + maxMillis * 1_000_000L;
    while (System.nanoTime() < deadline) {
      long cpu0 = now();
      long wall0 = System.nanoTime();
      Thread.sleep(500);
      double busy = (now() - cpu0) / (double) Math.max(1, System.nanoTime() - wall0);
      if (busy < busyCores) {
        break;
      }
    }
    return (System.nanoTime() - start) / 1_000_000L;
  }

  private static long now() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }
}
