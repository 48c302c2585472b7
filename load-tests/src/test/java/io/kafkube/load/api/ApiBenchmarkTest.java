package io.kafkube.load.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.cli.up.LocalCluster;
import io.kafkube.store.StoreConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API benchmark's workload, small, against a real {@code kafkube up}: every create is acknowledged, every
 * LIST returns every pod, every watcher sees every pod. Speed is not asserted here; the benchmark prints it.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ApiBenchmarkTest {
  @TempDir
  Path dir;

  @Test
  void createsListsAndWatchesWithoutErrors() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(new LocalCluster.Settings(dir, "kafkube", 2, 0, 0, 0, 0), 0)) {
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      List<ApiBenchmark.Result> results = ApiBenchmark.run(cluster.api(),
          new ApiBenchmark.Options(8, 150, 3, 4, 15, 2, 2, 20, StoreConfig.DEFAULT_THREADS),
          new PrintStream(printed, true, StandardCharsets.UTF_8));
      assertThat(results).hasSize(6);
      assertThat(results).allSatisfy(r -> assertThat(r.errors()).as(r.name()).isZero());
      assertThat(results.get(0).ops()).isEqualTo(150);
      assertThat(results.get(1).ops()).isEqualTo(3);
      assertThat(results.get(4).ops()).as("every watcher saw every created pod").isEqualTo(4 * 15);
      assertThat(results.get(5).ops()).as("timed from the POST too").isEqualTo(4 * 15);
      assertThat(printed.toString(StandardCharsets.UTF_8))
          .as("the warm-up opened the 8 clients' connections and the measured creates reused them")
          .contains("8 connections opened").contains("the clients opened 0 connections in the phase");
      assertThat(printed.toString(StandardCharsets.UTF_8))
          .as("the warm-up's 20 creates made one round, too few for the JIT to be quiet")
          .contains("warm-up of 20 creates in 1 rounds: stopped at --warmup 20 before the JIT was quiet");
    }
  }
}
