package io.kafkube.agent.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kafkube.agent.runtime.LogFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubelet's log options on real CRI log files. */
class ContainerLogReaderTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static final String LOG = """
      2026-11-29T11:58:00.000000001Z stdout F first
      2026-11-29T11:59:00.500000000Z stderr F second
      2026-11-29T11:59:30.000000000Z stdout P thi
      2026-11-29T11:59:30.000000100Z stdout F rd
      2026-11-29T11:59:59.123456789Z stdout F fourth
      """;

  @TempDir
  Path dir;

  private final ContainerLogReader reader = new ContainerLogReader(Clock.fixed(NOW, ZoneOffset.UTC),
      Duration.ofMillis(10));

  private String read(Map<String, String> params) throws Exception {
    Path f = dir.resolve("0.log");
    Files.writeString(f, LOG);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    reader.copy(new LogFile(f, false, CompletableFuture.completedFuture(null)), LogOptions.parse(params::get),
        b -> {
          out.writeBytes(b);
          return true;
        });
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void wholeLogJoinsPartialEntries() throws Exception {
    assertThat(read(Map.of())).isEqualTo("first\nsecond\nthird\nfourth\n");
  }

  @Test
  void tailCountsLinesNotEntries() throws Exception {
    assertThat(read(Map.of("tailLines", "1"))).isEqualTo("fourth\n");
    assertThat(read(Map.of("tailLines", "2"))).isEqualTo("third\nfourth\n");
    assertThat(read(Map.of("tailLines", "0"))).isEmpty();
    assertThat(read(Map.of("tailLines", "99"))).isEqualTo("first\nsecond\nthird\nfourth\n");
  }

  @Test
  void sinceSecondsAndSinceTimeKeepLaterLines() throws Exception {
    assertThat(read(Map.of("sinceSeconds", "60"))).isEqualTo("second\nthird\nfourth\n");
    assertThat(read(Map.of("sinceSeconds", "1"))).isEqualTo("fourth\n");
    assertThat(read(Map.of("sinceTime", "2026-11-29T11:59:30Z"))).isEqualTo("third\nfourth\n");
    assertThat(read(Map.of("sinceSeconds", "60", "tailLines", "1"))).isEqualTo("fourth\n");
  }

  @Test
  void timestampsPrefixEachEntryWithNanoseconds() throws Exception {
    assertThat(read(Map.of("timestamps", "true", "tailLines", "1")))
        .isEqualTo("2026-11-29T11:59:59.123456789Z fourth\n");
    assertThat(read(Map.of("timestamps", "true")).lines().findFirst().orElseThrow())
        .isEqualTo("2026-11-29T11:58:00.000000001Z first");
  }

  @Test
  void limitBytesCutsTheOutput() throws Exception {
    assertThat(read(Map.of("limitBytes", "8"))).isEqualTo("first\nse");
    assertThat(read(Map.of("limitBytes", "1000"))).isEqualTo("first\nsecond\nthird\nfourth\n");
  }

  @Test
  void badOptionsNameTheirField() {
    assertThatThrownBy(() -> read(Map.of("tailLines", "-1"))).hasMessageContaining("tailLines");
    assertThatThrownBy(() -> read(Map.of("limitBytes", "x"))).hasMessageContaining("limitBytes");
    assertThatThrownBy(() -> read(Map.of("sinceSeconds", "0"))).hasMessageContaining("sinceSeconds");
    assertThatThrownBy(() -> read(Map.of("follow", "maybe"))).hasMessageContaining("follow");
    assertThatThrownBy(() -> read(Map.of("sinceTime", "yesterday"))).hasMessageContaining("sinceTime");
  }

  @Test
  void followReadsLinesWrittenLaterAndEndsWithTheContainer() throws Exception {
    Path f = dir.resolve("1.log");
    Files.writeString(f, "2026-11-29T11:59:00Z stdout F before\n");
    CompletableFuture<Void> ended = new CompletableFuture<>();
    CountDownLatch sawFirst = new CountDownLatch(1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread follower = new Thread(() -> {
      try {
        reader.copy(new LogFile(f, true, ended), LogOptions.parse(Map.of("follow", "true")::get), b -> {
          synchronized (out) {
            out.writeBytes(b);
          }
          sawFirst.countDown();
          return true;
        });
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    follower.start();
    assertThat(sawFirst.await(30, TimeUnit.SECONDS)).isTrue();
    // an unterminated write is not a line yet; its end is
    Files.writeString(f, "2026-11-29T11:59:01Z stdout F aft", StandardOpenOption.APPEND);
    Files.writeString(f, "er\n2026-11-29T11:59:02Z stdout F last\n", StandardOpenOption.APPEND);
    ended.complete(null);
    follower.join(30_000);
    assertThat(follower.isAlive()).isFalse();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("before\nafter\nlast\n");
  }
}
