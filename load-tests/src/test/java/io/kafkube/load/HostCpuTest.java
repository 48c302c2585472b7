package io.kafkube.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostCpuTest {
  @TempDir
  Path dir;

  @Test
  void theTotalIsTheFirstEightCountersAndIdleCountsIoWait() {
    assertThat(HostCpu.parse("cpu  100 5 20 600 10 0 15 250 40 0"))
        .contains(new HostCpu.Ticks(1000, 610, 250));
  }

  @Test
  void aLineThatIsNotTheAggregateCpuLineIsNotRead() {
    assertThat(HostCpu.parse("cpu0 1 2 3 4 5 6 7 8")).isEmpty();
    assertThat(HostCpu.parse("cpu 1 2 3")).isEmpty();
    assertThat(HostCpu.parse("cpu 1 2 x 4 5 6 7 8")).isEmpty();
  }

  @Test
  void theSummaryIsTheShareOfTheMachinesTimeSinceTheStart() throws IOException {
    Path stat = dir.resolve("stat");
    Files.writeString(stat, "cpu  1000 0 100 5000 0 0 0 100 0 0\ncpu0 500 0 50 2500 0 0 0 50 0 0\n");
    HostCpu host = HostCpu.start(stat);
    // 400 ticks later: 250 user, 50 system, 60 idle, 40 stolen
    Files.writeString(stat, "cpu  1250 0 150 5060 0 0 0 140 0 0\n");
    assertThat(host.summary()).isEqualTo("steal 10.0%, idle 15.0%");
    assertThat(host.stealShare()).hasValueSatisfying(s -> assertThat(s).isEqualTo(0.1));
  }

  @Test
  void withoutProcStatTheSummarySaysItIsNotKnown() {
    HostCpu host = HostCpu.start(dir.resolve("absent"));
    assertThat(host.summary()).isEqualTo("steal and idle not known (no /proc/stat)");
    assertThat(host.stealShare()).isEmpty();
  }
}
