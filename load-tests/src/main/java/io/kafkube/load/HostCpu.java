package io.kafkube.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The machine's CPU time over a benchmark phase, from the first line of {@code /proc/stat} (Linux): how much
 * of it the hypervisor stole (the virtual CPUs had work but were not run) and how much was idle. On a shared
 * virtual machine the steal moves a run's figures more than most code changes do: beside them it tells a
 * slow machine from slow code. Where {@code /proc/stat} cannot be read, the summary says so.
 */
public final class HostCpu {
  static final Path PROC_STAT = Path.of("/proc/stat");

  private final Path source;
  private final Optional<Ticks> start;

  /** The aggregate line's counters (USER_HZ ticks) that matter here. */
  record Ticks(long total, long idle, long steal) {
    Ticks minus(Ticks o) {
      return new Ticks(total - o.total, idle - o.idle, steal - o.steal);
    }
  }

  private HostCpu(Path source) {
    this.source = source;
    this.start = read(source);
  }

  /** Starts measuring from {@code /proc/stat}. */
  public static HostCpu start() {
    return new HostCpu(PROC_STAT);
  }

  static HostCpu start(Path source) {
    return new HostCpu(source);
  }

  /** {@code "steal 3.1%, idle 12.0%"} of the machine's CPU time since {@link #start()}. */
  public String summary() {
    return since().map(d -> String.format(Locale.ROOT, "steal %.1f%%, idle %.1f%%", 100.0 * d.steal() / d.total(),
        100.0 * d.idle() / d.total())).orElse("steal and idle not known (no /proc/stat)");
  }

  /** The share of the machine's CPU time stolen since {@link #start()}, if known. */
  public Optional<Double> stealShare() {
    return since().map(d -> d.steal() / (double) d.total());
  }

  private Optional<Ticks> since() {
    if (start.isEmpty()) {
      return Optional.empty();
    }
    return read(source).map(now -> now.minus(start.get())).filter(d -> d.total() > 0);
  }

  /**
   * {@code cpu  user nice system idle iowait irq softirq steal guest guest_nice}: guest time is already counted
   * in user and nice, so the total is the sum of the first eight.
   */
  static Optional<Ticks> parse(String firstLine) {
    String[] f = firstLine.trim().split("\\s+");
    if (f.length < 9 || !f[0].equals("cpu")) {
      return Optional.empty();
    }
    long total = 0;
    long[] v = new long[8];
    try {
      for (int i = 0; i < 8; i++) {
        v[i] = Long.parseLong(f[i + 1]);
        total += v[i];
      }
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.of(new Ticks(total, v[3] + v[4], v[7]));
  }

  private static Optional<Ticks> read(Path source) {
    try {
      List<String> lines = Files.readAllLines(source);
      return lines.isEmpty() ? Optional.empty() : parse(lines.get(0));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }
}
