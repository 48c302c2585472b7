package io.kafkube.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kafkube up --store-threads N} refuses a count under 1 before it starts anything. */
class UpCommandStoreThreadsTest {
  @TempDir
  Path dir;

  @Test
  void fewerThanOneStoreThreadIsRefused() {
    for (String n : new String[] {"0", "-2"}) {
      StringWriter err = new StringWriter();
      CommandLine cl = new CommandLine(new UpCommand());
      cl.setErr(new PrintWriter(err, true));
      cl.setOut(new PrintWriter(new StringWriter(), true));
      int exit = cl.execute("--data-dir", dir.resolve("data").toString(), "--ports", "auto", "--store-threads", n);
      assertThat(exit).as(n).isNotZero();
      assertThat(err.toString()).contains("--store-threads must be at least 1, not " + n);
      assertThat(dir.resolve("data")).doesNotExist();
    }
  }

  @Test
  void theSettingsCarryTheStoreThreads() {
    LocalCluster.Settings s = new LocalCluster.Settings(dir, "kafkube", 3, 0, 0, 0, 0);
    assertThat(s.storeThreads()).isZero(); // the store's default
    assertThat(s.withStoreThreads(2).storeThreads()).isEqualTo(2);
    assertThat(s.withStoreThreads(2).partitions()).isEqualTo(3);
  }
}
