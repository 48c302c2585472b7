package io.kafkube.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The process runtime on its own: real processes, exit codes, grace, logs, adoption by a new instance. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ProcessRuntimeTest {
  @TempDir
  Path dir;
  ProcessRuntime rt;

  private static final PodRef POD = new PodRef("uid-1", "default", "p", Map.of());

  @AfterEach
  void stop() {
    if (rt != null) {
      rt.stopAll(Duration.ofSeconds(1));
    }
  }

  private ContainerInstance latest(ProcessRuntime r, String name) {
    return r.containers(POD.uid()).stream().filter(i -> i.name().equals(name))
        .max(java.util.Comparator.comparingInt(ContainerInstance::attempt)).orElseThrow();
  }

  @Test
  void runsWithEnvAndWorkingDirRecordsExitCodesAndLogs() throws Exception {
    rt = new ProcessRuntime(dir, "127.3.0.0/16");
    String ip = rt.sandbox(POD);
    assertThat(ip).isEqualTo("127.3.0.2");
    assertThat(rt.sandbox(POD)).as("one address per pod").isEqualTo(ip);
    ContainerInstance i = rt.start(POD, new StartSpec("c", 0, "busybox",
        List.of("sh", "-c", "echo \"$GREETING from $(pwd)\"; exit 7"), List.of(), Map.of("GREETING", "hi"), "/work"));
    assertThat(i.running()).isTrue();
    assertThat(i.id()).startsWith("process://");
    await().atMost(Duration.ofSeconds(30)).until(() -> latest(rt, "c").exited());
    ContainerInstance done = latest(rt, "c");
    assertThat(done.exitCode()).isEqualTo(7);
    assertThat(done.reason()).isEqualTo("Error");
    assertThat(rt.logs(POD.uid(), "c", false).orElseThrow().trim())
        .isEqualTo("hi from " + dir.toAbsolutePath().resolve("pods/uid-1/rootfs/work"));
    assertThat(rt.start(POD, new StartSpec("c", 0, "busybox", List.of("true"), List.of(), Map.of(), null)))
        .as("an attempt never runs twice").isEqualTo(done);
  }

  @Test
  void missingExecutableIsAStartErrorAndUnknownImagesAreRefused() {
    rt = new ProcessRuntime(dir, "127.3.0.0/16");
    ContainerInstance i = rt.start(POD, new StartSpec("c", 0, "busybox", List.of("no-such-binary-kafkube"), List.of(),
        Map.of(), null));
    assertThat(i.exited()).isTrue();
    assertThat(i.reason()).isEqualTo("StartError");
    assertThat(i.exitCode()).isEqualTo(128);
    assertThat(i.message()).contains("\"no-such-binary-kafkube\": executable file not found in $PATH");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> rt.pullImage("nginx"))
        .isInstanceOf(ImageException.class);
  }

  @Test
  void stopSendsSigtermThenKillsAfterTheGracePeriod() throws Exception {
    rt = new ProcessRuntime(dir, "127.3.0.0/16");
    rt.start(POD, new StartSpec("polite", 0, "busybox", List.of("sleep", "300"), List.of(), Map.of(), null));
    rt.start(POD, new StartSpec("stubborn", 0, "busybox",
        List.of("sh", "-c", "trap '' TERM; while true; do sleep 1; done"), List.of(), Map.of(), null));
    Thread.sleep(300); // let the shell install its trap before the signal
    ContainerInstance polite = rt.stop(POD.uid(), "polite", Duration.ofSeconds(30)).get(20, TimeUnit.SECONDS);
    assertThat(polite.exitCode()).as("SIGTERM: 128 + 15").isEqualTo(143);
    ContainerInstance stubborn = rt.stop(POD.uid(), "stubborn", Duration.ofSeconds(1)).get(20, TimeUnit.SECONDS);
    assertThat(stubborn.exitCode()).as("SIGKILL after the grace period: 128 + 9").isEqualTo(137);
  }

  @Test
  void aNewRuntimeAdoptsRunningContainersAndSeesTheirExit() throws Exception {
    ProcessRuntime first = new ProcessRuntime(dir, "127.3.0.0/16");
    Path marker = dir.resolve("go");
    first.start(POD, new StartSpec("c", 0, "busybox",
        List.of("sh", "-c", "while [ ! -f " + marker + " ]; do sleep 0.1; done; exit 4"), List.of(), Map.of(), null));
    long pid = first.pid(POD.uid(), "c").orElseThrow();
    first.close(); // the agent goes away; the container keeps running

    rt = new ProcessRuntime(dir, "127.3.0.0/16");
    assertThat(rt.pods()).containsExactly(POD.uid());
    assertThat(rt.sandbox(POD)).isEqualTo("127.3.0.2");
    assertThat(rt.pid(POD.uid(), "c")).contains(pid);
    assertThat(latest(rt, "c").running()).isTrue();
    assertThat(rt.start(POD, new StartSpec("c", 0, "busybox", List.of("true"), List.of(), Map.of(), null)).id())
        .as("no second copy").isEqualTo("process://" + pid);
    Files.writeString(marker, "");
    await().atMost(Duration.ofSeconds(30)).until(() -> latest(rt, "c").exited());
    assertThat(latest(rt, "c").exitCode()).as("the exit code of a process that is not our child").isEqualTo(4);
  }
}
