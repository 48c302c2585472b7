package io.kafkube.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU of the JVM's own threads, which {@link java.lang.management.ThreadMXBean} does not list: the JIT
 * compilers and the garbage collector, from {@code /proc/self/task} (Linux; empty elsewhere).
 */
public final class NativeThreads {
  public static final String JIT = "JIT compiler threads (C1, C2)";
  public static final String GC = "GC and VM threads";
  private static final Path TASKS = Path.of("/proc/self/task");
  private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux

  private NativeThreads() {}

  /**
   * The CPU nanoseconds each live JIT, GC or VM thread has used so far, by group and thread id. The JVM
   * starts and stops compiler threads as its queue grows and shrinks, so a sum over the live threads can
   * fall: compare two snapshots with {@link #used}, thread by thread.
   */
  public static Map<String, Long> snapshot() {
    Map<String, Long> out = new HashMap<>();
    if (!Files.isDirectory(TASKS)) {
      return out;
    }
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        try {
          String group = group(read(task.resolve("comm")).strip());
          if (group != null) {
            String stat = read(task.resolve("stat"));
            // the fields after the ")" that ends the command: utime and stime are the 12th and 13th
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            out.put(group + "\t" + task.getFileName(), ticks * NANOS_PER_TICK);
          }
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /**
   * The CPU each group used between two snapshots: for each thread alive at the end, what it used since
   * the start (all of it if it started since). A thread that ended in between is not counted.
   */
  public static Map<String, Long> used(Map<String, Long> start, Map<String, Long> end) {
    Map<String, Long> out = new HashMap<>();
    for (Map.Entry<String, Long> e : end.entrySet()) {
      String group = e.getKey().substring(0, e.getKey().indexOf('\t'));
      out.merge(group, Math.max(0, e.getValue() - start.getOrDefault(e.getKey(), 0L)), Long::sum);
    }
    return out;
  }

  /** The JIT compilers' CPU nanoseconds between two snapshots. */
  public static long jitUsed(Map<String, Long> start, Map<String, Long> end) {
    return used(start, end).getOrDefault(JIT, 0L);
  }

  private static String group(String comm) {
    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
      return JIT;
    }
    if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.startsWith("VM Thread")) {
      return GC;
    }
    return null;
  }

  private static String read(Path p) throws IOException {
    return new String(Files.readAllBytes(p), StandardCharsets.US_ASCII);
  }
}
