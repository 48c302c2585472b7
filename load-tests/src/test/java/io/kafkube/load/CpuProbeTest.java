package io.kafkube.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuProbeTest {
  @Test
  void theWorkIsTheSameForTheSameSeedAndDiffersForAnother() {
    assertThat(CpuProbe.work(42)).isEqualTo(CpuProbe.work(42)).isNotEqualTo(CpuProbe.work(43));
  }

  @Test
  void theProbeReportsAPositiveTime() {
    assertThat(CpuProbe.millis()).isPositive();
  }
}
