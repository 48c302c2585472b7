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

  private static long now() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }
}
