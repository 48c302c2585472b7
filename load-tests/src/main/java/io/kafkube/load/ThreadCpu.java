package io.kafkube.load;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a benchmark phase's CPU went, by group of threads of this JVM: threads whose names differ only
 * in numbers or ids ({@code data-plane-kafka-request-handler-3}, a Streams thread's application id) are
 * one group. The JVM's own threads (the JIT compilers, the GC) are not Java threads: on Linux they are
 * read from {@code /proc/self/task}; what no thread accounts for (threads that ended, elsewhere the
 * JVM's own) is printed as the remainder of the process's CPU ({@link ProcessCpu}).
 */
public final class ThreadCpu {
  private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f-]{27}|\\d+");
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> startCpu = new HashMap<>();
  private final Map<String, Long> startNative;
  private final Map<String, Long> extra = new HashMap<>();
  private final ProcessCpu process;

  private ThreadCpu() {
    for (long id : threads.getAllThreadIds()) {
      long cpu = threads.getThreadCpuTime(id);
      if (cpu >= 0) {
        startCpu.put(id, cpu);
      }
    }
    this.startNative = NativeThreads.snapshot();
    this.process = ProcessCpu.start();
  }

  /** Adds CPU measured elsewhere (threads that end before {@link #print}, which measure themselves). */
  public synchronized void add(String group, long cpuNanos) {
    extra.merge(group, cpuNanos, Long::sum);
  }

  /** Starts measuring; null when this JVM cannot measure thread CPU. */
  public static ThreadCpu start() {
    ThreadMXBean t = ManagementFactory.getThreadMXBean();
    return t.isThreadCpuTimeSupported() && t.isThreadCpuTimeEnabled() ? new ThreadCpu() : null;
  }

  /** Prints the {@code top} groups with their share of the process's CPU since {@link #start()}. */
  public synchronized void print(PrintStream out, long operations, int top) {
    Map<String, Long> byGroup = new HashMap<>(extra);
    long seen = extra.values().stream().mapToLong(Long::longValue).sum();
    for (Map.Entry<String, Long> e : NativeThreads.used(startNative, NativeThreads.snapshot()).entrySet()) {
      long used = e.getValue();
      seen += used;
      byGroup.merge(e.getKey(), used, Long::sum);
    }
    for (long id : threads.getAllThreadIds()) {
      long cpu = threads.getThreadCpuTime(id);
      ThreadInfo info = threads.getThreadInfo(id);
      if (cpu < 0 || info == null) {
        continue;
      }
      long used = cpu - startCpu.getOrDefault(id, 0L);
      seen += used;
      byGroup.merge(ID.matcher(info.getThreadName()).replaceAll("N"), used, Long::sum);
    }
    long total = Math.max(process.cpuNanos(), seen);
    byGroup.put("other (threads that ended, JVM threads not named here)", total - seen);
    out.printf(Locale.ROOT, "CPU by thread group (%s):%n", process.summary(operations));
    byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
        .forEach(e -> out.printf(Locale.ROOT, "  %5.1f%%  %7.3f ms per op  %s%n", 100.0 * e.getValue() / total,
            operations > 0 ? e.getValue() / 1e6 / operations : 0, e.getKey()));
  }
}
