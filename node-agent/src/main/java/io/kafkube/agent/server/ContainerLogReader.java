package io.kafkube.agent.server;

import io.kafkube.agent.runtime.CriLogLine;
import io.kafkube.agent.runtime.LogFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a container's CRI log file with kubelet's options: {@code sinceSeconds}/{@code sinceTime}
 * keep the lines written since then, {@code tailLines} the last N of them, {@code timestamps}
 * prefixes each line with the time it was written, {@code limitBytes} cuts the output, and
 * {@code follow} keeps reading lines as they are written until the container has ended.
 * Blocking: run it on a thread of its own.
 */
public final class ContainerLogReader {
  /** kubelet's timestamp format: RFC 3339 with nanoseconds, always nine digits. */
  public static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** Where the output goes. */
  public interface Sink {
    /** Writes (blocking while the reader is slow); false when the reader has gone away. */
    boolean write(byte[] bytes);

    /** Whether the reader is still there (checked while following finds nothing new). */
    default boolean open() {
      return true;
    }
  }

  private final Clock clock;
  private final Duration pollInterval;

  public ContainerLogReader(Clock clock, Duration pollInterval) {
    this.clock = clock;
    this.pollInterval = pollInterval;
  }

  /** Copies the log to {@code sink} as the options say; returns when done, the limit is hit or the sink is gone. */
  public void copy(LogFile file, LogOptions o, Sink sink) throws IOException, InterruptedException {
    Instant since = o.since(clock.instant());
    long[] left = {o.limitBytes() == null ? Long.MAX_VALUE : o.limitBytes()};
    if (!Files.exists(file.path())) {
      return;
    }
    try (FileChannel ch = FileChannel.open(file.path(), StandardOpenOption.READ)) {
      Chunk first = readLines(ch, 0);
      List<CriLogLine> lines = since(first.lines, since);
      if (o.tailLines() != null) {
        lines = tail(lines, o.tailLines());
      }
      if (!emit(lines, o.timestamps(), left, sink) || !o.follow() || !file.running()) {
        return;
      }
      long pos = first.end;
      var ended = file.ended().toCompletableFuture();
      while (true) {
        boolean done = ended.isDone(); // read once more after the end: what was written before it
        Chunk next = readLines(ch, pos);
        pos = next.end;
        if (!emit(since(next.lines, since), o.timestamps(), left, sink) || done) {
          return;
        }
        if (next.lines.isEmpty()) {
          if (!sink.open()) {
            return;
          }
          Thread.sleep(pollInterval.toMillis());
        }
      }
    }
  }

  /** The lines written at or after {@code since} (all when null). */
  static List<CriLogLine> since(List<CriLogLine> lines, Instant since) {
    if (since == null) {
      return lines;
    }
    return lines.stream().filter(l -> !l.time().isBefore(since)).toList();
  }

  /** The entries of the last {@code n} lines (a line is its partial entries and the full one that ends it). */
  static List<CriLogLine> tail(List<CriLogLine> lines, long n) {
    int start = lines.size();
    long seen = 0;
    for (int i = lines.size() - 1; i >= 0; i--) {
      boolean endsLine = !lines.get(i).partial() || i == lines.size() - 1;
      if (endsLine) {
        if (seen == n) {
          break;
        }
        seen++;
      }
      start = i;
    }
    return n == 0 ? List.of() : lines.subList(start, lines.size());
  }

  /** Writes the entries; false when the limit is reached or the sink is gone. */
  private static boolean emit(List<CriLogLine> lines, boolean timestamps, long[] left, Sink sink) {
    if (lines.isEmpty()) {
      return left[0] > 0;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (CriLogLine l : lines) {
      String s = timestamps ? TIMESTAMP.format(l.time()) + " " + l.output() : l.output();
      out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      if (out.size() >= left[0]) {
        break;
      }
    }
    byte[] bytes = out.toByteArray();
    if (bytes.length >= left[0]) {
      byte[] cut = java.util.Arrays.copyOf(bytes, (int) left[0]);
      left[0] = 0;
      sink.write(cut);
      return false;
    }
    left[0] -= bytes.length;
    return sink.write(bytes);
  }

  private record Chunk(List<CriLogLine> lines, long end) {}

  /** The complete lines from {@code pos} on, and where the first incomplete one starts. */
  private static Chunk readLines(FileChannel ch, long pos) throws IOException {
    long size = ch.size();
    if (size <= pos) {
      return new Chunk(List.of(), pos);
    }
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size - pos, 8L << 20));
    while (buf.hasRemaining() && ch.read(buf, pos + buf.position()) > 0) {
      // read what is there
    }
    byte[] b = buf.array();
    int n = buf.position();
    List<CriLogLine> lines = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < n; i++) {
      if (b[i] == '\n') {
        CriLogLine l = CriLogLine.parse(new String(b, from, i - from, StandardCharsets.UTF_8));
        if (l != null) {
          lines.add(l);
        }
        from = i + 1;
      }
    }
    return new Chunk(lines, pos + from);
  }
}
