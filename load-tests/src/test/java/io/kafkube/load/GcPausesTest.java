package io.kafkube.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The collections of a phase, as the benchmarks print them. */
class GcPausesTest {
  @Test
  void countsTheCollectionsOfThePhaseUntilClosed() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    GcPauses gc = GcPauses.start();
    try (gc) {
      System.gc(); // a major collection (ParallelGC, which the tests run with, scavenges first)
      long deadline = System.nanoTime() + 20_000_000_000L;
      // the collectors' notifications arrive on the JVM's service thread, shortly after the collection
      do {
        Thread.sleep(20);
        bytes.reset();
        gc.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
      } while (!bytes.toString(StandardCharsets.UTF_8).contains("major GC") && System.nanoTime() < deadline);
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("garbage collections: ")
        .contains("% of the phase").contains("major GC: 1,");
    int recorded = gc.collections();
    System.gc();
    Thread.sleep(500);
    assertThat(gc.collections()).as("nothing recorded once closed").isEqualTo(recorded);
  }
}
