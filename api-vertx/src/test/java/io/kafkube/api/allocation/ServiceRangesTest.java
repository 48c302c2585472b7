package io.kafkube.api.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceRangesTest {
  private final ServiceRanges r = ServiceRanges.DEFAULT;

  @Test
  void theLoopbackRangeWithoutNetworkAndBroadcast() {
    assertThat(r.cidr()).isEqualTo("127.1.0.0/16");
    assertThat(r.ipCount()).isEqualTo(65534);
    assertThat(r.ip(0)).isEqualTo("127.1.0.1");
    assertThat(r.ip(r.ipCount() - 1)).isEqualTo("127.1.255.254");
    assertThat(r.containsIp("127.1.0.1")).isTrue();
    assertThat(r.containsIp("127.1.0.0")).isFalse();
    assertThat(r.containsIp("127.1.255.255")).isFalse();
    assertThat(r.containsIp("127.2.0.1")).isFalse();
    assertThat(r.containsIp("10.96.0.1")).isFalse();
    assertThat(r.containsIp("127.1.0.256")).isFalse();
    assertThat(r.containsIp("127.1.0")).isFalse();
    assertThat(r.containsIp("::1")).isFalse();
  }

  @Test
  void nodePorts() {
    assertThat(r.portRange()).isEqualTo("30000-32767");
    assertThat(r.containsPort(30000)).isTrue();
    assertThat(r.containsPort(32767)).isTrue();
    assertThat(r.containsPort(29999)).isFalse();
    assertThat(r.containsPort(32768)).isFalse();
  }
}
