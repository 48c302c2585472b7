package io.kafkube.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Lines of /proc/self/mountinfo as the kernel writes them (optional fields, escaped spaces). */
class HostMountsTest {
  @Test
  void aMountinfoLineGivesItsMountPointTypeAndOptions() {
    HostMounts.Mount m = HostMounts.parse("412 30 0:97 / /data/agent/pods/u-1/volumes/cache rw,relatime shared:220 "
        + "- tmpfs kafkube-emptydir rw,size=16384k").orElseThrow();
    assertThat(m.mountPoint()).isEqualTo("/data/agent/pods/u-1/volumes/cache");
    assertThat(m.fsType()).isEqualTo("tmpfs");
    assertThat(m.superOptions()).isEqualTo("rw,size=16384k");
    assertThat(HostMounts.parse("36 35 98:0 /mnt1 /my\\040dir rw,noatime master:1 - ext3 /dev/root rw,errors=continue")
        .orElseThrow().mountPoint()).isEqualTo("/my dir");
    assertThat(HostMounts.parse("garbage")).isEmpty();
  }
}
