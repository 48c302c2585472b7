package io.kafkube.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kafkube.agent.cgroup.Cgroups;
import io.kafkube.agent.cgroup.Limits;
import io.kafkube.agent.volume.MountNamespaces;
import io.kafkube.agent.volume.VolumeMount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process runtime's isolation on this machine: volumes bind mounted at their mount paths in the
 * container's own mount namespace (read-only where asked, invisible to the host), limits in a cgroup
 * with a real OOM kill reported as OOMKilled, and the honest fallback where neither is available.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ProcessIsolationTest {
  @TempDir
  Path dir;
  ProcessRuntime rt;
  final PodRef pod = new PodRef("uid-" + UUID.randomUUID(), "default", "p", Map.of());

  @AfterEach
  void stop() {
    if (rt != null) {
      rt.stopAll(Duration.ofSeconds(1));
      rt.removePod(pod.uid());
    }
  }

  private ContainerInstance latest(String name) {
    return rt.containers(pod.uid()).stream().filter(i -> i.name().equals(name))
        .max(java.util.Comparator.comparingInt(ContainerInstance::attempt)).orElseThrow();
  }

  @Test
  void volumesAreMountedAtTheirMountPathsInTheContainersOwnNamespace() throws Exception {
    Assumptions.assumeTrue(MountNamespaces.available(), "mount namespaces (unshare -m) are not available here");
    rt = new ProcessRuntime(dir, "127.3.0.0/16", Cgroups.disabled("not needed"), true);
    Path config = Files.createDirectories(dir.resolve("src/config"));
    Files.writeString(config.resolve("greeting"), "hello from a volume");
    Path out = Files.createDirectories(dir.resolve("src/out"));
    String base = "/tmp/kafkube-mnt-" + UUID.randomUUID();
    List<VolumeMount> mounts = List.of(
        new VolumeMount("config", config.toString(), base + "/etc/config", true),
        new VolumeMount("out", out.toString(), base + "/data", false));
    rt.start(pod, new StartSpec("c", 0, "busybox", List.of("sh", "-c",
        "cat " + base + "/etc/config/greeting > " + base + "/data/copy; "
            + "if touch " + base + "/etc/config/new 2>/dev/null; then echo writable; else echo read-only; fi > "
            + base + "/data/ro; sleep 300"),
        List.of(), Map.of(), null, mounts, Limits.NONE));
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(out.resolve("ro")) && Files.size(out.resolve("ro")) > 0);
    assertThat(Files.readString(out.resolve("copy"))).isEqualTo("hello from a volume");
    assertThat(Files.readString(out.resolve("ro")).trim()).isEqualTo("read-only");
    assertThat(Files.exists(config.resolve("new"))).isFalse();
    assertThat(Files.exists(Path.of(base, "etc/config/greeting"))).as("the host does not see the mount").isFalse();
    assertThat(rt.exec(pod.uid(), "c", List.of("test", "-f", base + "/etc/config/greeting"), Duration.ofSeconds(10)))
        .as("exec (probes, hooks) runs in the container's mount namespace").isZero();
    assertThat(rt.isolation().mountNamespaces()).isTrue();
    rt.stop(pod.uid(), "c", Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
    assertThat(Files.exists(Path.of(base))).as("mount points the agent created go when the pod has no running container")
        .isFalse();
  }

  @Test
  void aMemoryEmptyDirIsOneTmpfsOfItsSizeLimitSharedByThePodsContainers() throws Exception {
    Assumptions.assumeTrue(MountNamespaces.available(), "mount namespaces (unshare -m) are not available here");
    rt = new ProcessRuntime(dir, "127.3.0.0/16", Cgroups.disabled("not needed"), true);
    rt.sandbox(pod);
    com.fasterxml.jackson.databind.JsonNode spec = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
        {"metadata": {"name": "p", "namespace": "default", "uid": "%s"},
         "spec": {"volumes": [{"name": "cache", "emptyDir": {"medium": "Memory", "sizeLimit": "16Mi"}}],
                  "containers": [{"name": "a", "volumeMounts": [{"name": "cache", "mountPath": "/tmp/kafkube-cache"}]},
                                 {"name": "b", "volumeMounts": [{"name": "cache", "mountPath": "/tmp/kafkube-cache"}]}]}}
        """.formatted(pod.uid()));
    io.kafkube.agent.volume.PodVolumes volumes = new io.kafkube.agent.volume.PodVolumes(spec,
        rt.volumesDir(pod.uid()).orElseThrow(), io.kafkube.agent.env.ConfigSource.empty(),
        io.kafkube.agent.volume.TokenSource.none("not needed"), "127.3.0.1");
    Map<String, Path> vols = volumes.prepare();
    assertThat(volumes.warnings()).isEmpty();
    Path hostDir = vols.get("cache");
    assertThat(volumes.prepare()).as("prepare again (a resync): still one mount").isEqualTo(vols);
    assertThat(io.kafkube.agent.volume.HostMounts.under(hostDir)).hasSize(1);
    List<VolumeMount> mounts = io.kafkube.agent.volume.PodVolumes.mounts(spec.path("spec").path("containers").get(0),
        vols);
    rt.start(pod, new StartSpec("a", 0, "busybox", List.of("sh", "-c",
        "grep ' /tmp/kafkube-cache ' /proc/mounts; echo from-a > /tmp/kafkube-cache/note; sleep 300"),
        List.of(), Map.of(), null, mounts, Limits.NONE));
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(hostDir.resolve("note")));
    String mountLine = rt.logs(pod.uid(), "a", false).orElseThrow();
    assertThat(mountLine).as("the container sees a tmpfs of the sizeLimit").startsWith("kafkube-emptydir "
        + "/tmp/kafkube-cache tmpfs ").contains("size=16384k");
    rt.start(pod, new StartSpec("b", 0, "busybox", List.of("sh", "-c", "cat /tmp/kafkube-cache/note; sleep 300"),
        List.of(), Map.of(), null, mounts, Limits.NONE));
    await().atMost(Duration.ofSeconds(20)).until(() -> rt.logs(pod.uid(), "b", false).orElse("").equals("from-a\n"));

    rt.stop(pod.uid(), "a", Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
    rt.stop(pod.uid(), "b", Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
    rt.removePod(pod.uid());
    assertThat(io.kafkube.agent.volume.HostMounts.under(hostDir)).as("unmounted with the pod").isEmpty();
    assertThat(Files.exists(dir.resolve("pods").resolve(pod.uid()))).isFalse();
  }

  @Test
  void aPodRemovalTheAgentDidNotFinishIsCompletedByTheNextRuntimeOnTheDataDirectory() throws Exception {
    Cgroups cg = Cgroups.detect();
    Assumptions.assumeTrue(cg.mode() != Cgroups.Mode.NONE, "no writable cgroups here: " + cg.unavailableReason());
    Assumptions.assumeTrue(MountNamespaces.available(), "mount namespaces (unshare -m) are not available here");
    ProcessRuntime first = new ProcessRuntime(dir, "127.3.0.0/16", cg, true);
    first.sandbox(pod);
    Path volume = first.volumesDir(pod.uid()).orElseThrow().resolve("cache");
    Files.createDirectories(volume);
    io.kafkube.agent.volume.HostMounts.mountTmpfs(volume, 1 << 20);
    String base = "/tmp/kafkube-mnt-" + UUID.randomUUID();
    first.start(pod, new StartSpec("c", 0, "busybox", List.of("sh", "-c", "sleep 300 & exec sleep 300"), List.of(),
        Map.of(), null, List.of(new VolumeMount("cache", volume.toString(), base + "/cache", false)),
        new Limits(64L << 20, 0)));
    await().atMost(Duration.ofSeconds(20)).until(() -> first.exec(pod.uid(), "c",
        List.of("test", "-d", base + "/cache"), Duration.ofSeconds(5)) == 0);
    long pid = first.pid(pod.uid(), "c").orElseThrow();
    Path podDir = dir.resolve("pods").resolve(pod.uid());
    // the agent dies (kill -9) in the middle of removing the pod: marked removed, its container killed, nothing else
    first.close();
    Files.writeString(podDir.resolve("removed"), "");
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    assertThat(Path.of("/sys/fs/cgroup/memory/kafkube", pod.uid())).exists();
    assertThat(Path.of(base)).as("the mount point the container needed").exists();
    assertThat(io.kafkube.agent.volume.HostMounts.under(volume)).isNotEmpty();

    rt = new ProcessRuntime(dir, "127.3.0.0/16", cg, true);
    assertThat(rt.pods()).as("not adopted").doesNotContain(pod.uid());
    assertThat(rt.leftovers()).isEmpty();
    assertThat(io.kafkube.agent.volume.HostMounts.under(podDir)).as("unmounted").isEmpty();
    assertThat(Path.of("/sys/fs/cgroup/memory/kafkube", pod.uid())).as("the stray was killed, the cgroup removed")
        .doesNotExist();
    assertThat(Path.of(base)).as("the mount point is removed").doesNotExist();
    assertThat(podDir).doesNotExist();
  }

  @Test
  void aMountPointAnotherContainerUsesIsNotRemovedWhenOnePodEnds() throws Exception {
    Assumptions.assumeTrue(MountNamespaces.available(), "mount namespaces (unshare -m) are not available here");
    rt = new ProcessRuntime(dir, "127.3.0.0/16", Cgroups.disabled("not needed"), true);
    PodRef other = new PodRef("uid-" + UUID.randomUUID(), "default", "q", Map.of());
    Path vol = Files.createDirectories(dir.resolve("src/shared"));
    Files.writeString(vol.resolve("f"), "shared");
    String base = "/tmp/kafkube-mnt-" + UUID.randomUUID();
    List<VolumeMount> mounts = List.of(new VolumeMount("v", vol.toString(), base + "/m", true));
    rt.start(pod, new StartSpec("a", 0, "busybox", List.of("sleep", "300"), List.of(), Map.of(), null, mounts,
        Limits.NONE));
    rt.start(other, new StartSpec("b", 0, "busybox", List.of("sleep", "300"), List.of(), Map.of(), null, mounts,
        Limits.NONE));
    await().atMost(Duration.ofSeconds(20)).until(() -> rt.exec(other.uid(), "b", List.of("test", "-f", base + "/m/f"),
        Duration.ofSeconds(5)) == 0);
    rt.stop(pod.uid(), "a", Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
    rt.removePod(pod.uid());
    assertThat(rt.exec(other.uid(), "b", List.of("test", "-f", base + "/m/f"), Duration.ofSeconds(5)))
        .as("the other pod's mount survives").isZero();
    rt.stop(other.uid(), "b", Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
    rt.removePod(other.uid());
    assertThat(Files.exists(Path.of(base))).isFalse();
  }

  @Test
  void withoutMountNamespacesVolumesAreLinkedUnderTheRootfsAndTheRuntimeSaysSo() throws Exception {
    rt = new ProcessRuntime(dir, "127.3.0.0/16", Cgroups.disabled("no cgroups in this test"), false);
    Path config = Files.createDirectories(dir.resolve("src/config"));
    Files.writeString(config.resolve("greeting"), "linked");
    rt.start(pod, new StartSpec("c", 0, "busybox", List.of("sh", "-c", "cat etc/config/greeting"), List.of(),
        Map.of(), null, List.of(new VolumeMount("config", config.toString(), "/etc/config", true)), Limits.NONE));
    await().atMost(Duration.ofSeconds(30)).until(() -> latest("c").exited());
    assertThat(rt.logs(pod.uid(), "c", false).orElseThrow()).isEqualTo("linked");
    ContainerRuntime.Isolation iso = rt.isolation();
    assertThat(iso.mountNamespaces()).isFalse();
    assertThat(iso.mountInfo()).contains("mount namespaces are not available");
    assertThat(iso.cgroups()).isFalse();
    assertThat(iso.cgroupInfo()).isEqualTo("no cgroups in this test");
  }

  @Test
  void memoryLimitExceededIsOomKilledWithExitCode137() throws Exception {
    Cgroups cg = Cgroups.detect();
    Assumptions.assumeTrue(cg.mode() != Cgroups.Mode.NONE, "no writable cgroups here: " + cg.unavailableReason());
    rt = new ProcessRuntime(dir, "127.3.0.0/16", cg, false);
    // tail keeps the whole endless "line" of /dev/zero in memory: it grows until the limit
    rt.start(pod, new StartSpec("hog", 0, "busybox", List.of("tail", "/dev/zero"), List.of(), Map.of(), null,
        List.of(), new Limits(32L << 20, 500)));
    await().atMost(Duration.ofSeconds(60)).until(() -> latest("hog").exited());
    ContainerInstance hog = latest("hog");
    assertThat(hog.reason()).isEqualTo("OOMKilled");
    assertThat(hog.exitCode()).isEqualTo(137);
  }

  @Test
  void thePodsPidsLimitCapsAForkLoopAndItsStraysEndWithTheContainer() throws Exception {
    Cgroups cg = Cgroups.detect().withPodMaxPids(20);
    Assumptions.assumeTrue(cg.limitsPods(), "no pids cgroup controller here");
    rt = new ProcessRuntime(dir, "127.3.0.0/16", cg, false);
    Path started = dir.resolve("started");
    // a subshell tries to start 50 sleeps in the background, recording each; the shell dies at the first fork
    // that fails, and the container's shell goes on
    rt.start(pod, new StartSpec("forker", 0, "busybox", List.of("sh", "-c",
        "(i=0; while [ $i -lt 50 ]; do i=$((i+1)); sleep 300 & echo $! >> " + started + "; done); "
            + "echo loop ended; exec sleep 300"),
        List.of(), Map.of(), null, List.of(), Limits.NONE));
    await().atMost(Duration.ofSeconds(30)).until(() -> rt.logs(pod.uid(), "forker", false).orElse("")
        .contains("loop ended"));
    List<Long> sleeps = Files.readAllLines(started).stream().map(String::trim).map(Long::parseLong).toList();
    assertThat(sleeps).as("the loop could not start 50 processes").hasSizeBetween(1, 19);
    assertThat(rt.logs(pod.uid(), "forker", false).orElseThrow()).containsIgnoringCase("fork");
    if (cg.mode() == Cgroups.Mode.V1) {
      Path podCg = Path.of("/sys/fs/cgroup/pids/kafkube", pod.uid());
      assertThat(Files.readString(podCg.resolve("pids.max")).trim()).isEqualTo("20");
      assertThat(Long.parseLong(Files.readString(podCg.resolve("pids.current")).trim())).isLessThanOrEqualTo(20);
      // (v1 counts a refused fork in the cgroup of the process that forked)
      assertThat(Files.readString(podCg.resolve("forker-0/pids.events")).trim()).as("forks were refused")
          .matches("max [1-9]\\d*");
    }
    // an exec (probe, hook) joins the container's cgroup: it meets the same limit
    assertThat(rt.exec(pod.uid(), "forker", List.of("sh", "-c", "sleep 0 & sleep 0 & wait"), Duration.ofSeconds(10)))
        .as("no room for more processes in the pod").isNotZero();
    assertThat(sleeps).allSatisfy(p -> assertThat(ProcessHandle.of(p).map(ProcessHandle::isAlive)).contains(true));

    rt.stop(pod.uid(), "forker", Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sleeps.stream()
        .filter(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))).as("no stray outlives it").isEmpty());
    rt.removePod(pod.uid());
    assertThat(Files.exists(Path.of("/sys/fs/cgroup/pids/kafkube", pod.uid()))).as("cgroups removed").isFalse();
    assertThat(rt.leftovers()).isEmpty();
  }

  @Test
  void execProbesAndHooksRunInTheContainersCgroupAndMountNamespace() throws Exception {
    Cgroups cg = Cgroups.detect();
    Assumptions.assumeTrue(cg.mode() != Cgroups.Mode.NONE, "no writable cgroups here: " + cg.unavailableReason());
    Assumptions.assumeTrue(MountNamespaces.available(), "mount namespaces (unshare -m) are not available here");
    rt = new ProcessRuntime(dir, "127.3.0.0/16", cg, true);
    Path vol = Files.createDirectories(dir.resolve("src/v"));
    Files.writeString(vol.resolve("f"), "x");
    String base = "/tmp/kafkube-mnt-" + UUID.randomUUID();
    rt.start(pod, new StartSpec("c", 0, "busybox", List.of("sleep", "300"), List.of(), Map.of(), null,
        List.of(new VolumeMount("v", vol.toString(), base + "/v", true)), new Limits(64L << 20, 0)));
    String inCgroup = "grep -q '/kafkube/" + pod.uid() + "/c-0$' /proc/self/cgroup && test -f " + base + "/v/f";
    await().atMost(Duration.ofSeconds(20)).until(() -> rt.exec(pod.uid(), "c", List.of("sh", "-c", inCgroup),
        Duration.ofSeconds(5)) == 0);
    com.fasterxml.jackson.databind.JsonNode container = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        "{\"name\": \"c\"}");
    java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool();
    try {
      io.kafkube.agent.probe.Prober.ProbeRunner runner = new io.kafkube.agent.probe.Prober(timer, pool)
          .runner(rt, pod.uid(), "c", container, "127.3.0.1");
      com.fasterxml.jackson.databind.JsonNode handler = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
          .set("exec", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().set("command",
              new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(List.of("sh", "-c", inCgroup))));
      assertThat(runner.run(handler, Duration.ofSeconds(10))).as("an exec probe or hook (the same handler)").isTrue();
      Process exec = rt.startExec(pod.uid(), "c", List.of("sh", "-c", inCgroup), false);
      assertThat(exec.waitFor()).as("kubectl exec").isZero();
    } finally {
      timer.shutdownNow();
      pool.shutdownNow();
    }
    rt.stop(pod.uid(), "c", Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
  }

  @Test
  void limitsAreWrittenToTheContainersCgroupAndItsProcessesJoinIt() throws Exception {
    Cgroups cg = Cgroups.detect();
    Assumptions.assumeTrue(cg.mode() != Cgroups.Mode.NONE, "no writable cgroups here: " + cg.unavailableReason());
    rt = new ProcessRuntime(dir, "127.3.0.0/16", cg, false);
    rt.start(pod, new StartSpec("c", 0, "busybox", List.of("sleep", "300"), List.of(), Map.of(), null, List.of(),
        new Limits(64L << 20, 250)));
    long pid = rt.pid(pod.uid(), "c").orElseThrow();
    // the container's first process joins its cgroup before it starts the container's command
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        Files.readString(Path.of("/proc/" + pid + "/cgroup"))).contains("/kafkube/" + pod.uid() + "/c-0"));
    if (cg.mode() == Cgroups.Mode.V1) {
      Path mem = Path.of("/sys/fs/cgroup/memory/kafkube", pod.uid(), "c-0");
      Path cpu = Path.of("/sys/fs/cgroup/cpu/kafkube", pod.uid(), "c-0");
      assertThat(Files.readString(mem.resolve("memory.limit_in_bytes")).trim()).isEqualTo(Long.toString(64L << 20));
      assertThat(Files.readString(cpu.resolve("cpu.cfs_quota_us")).trim()).isEqualTo("25000");
      assertThat(Files.readString(cpu.resolve("cpu.cfs_period_us")).trim()).isEqualTo("100000");
    }
    rt.stop(pod.uid(), "c", Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
    rt.removePod(pod.uid());
    assertThat(Files.exists(Path.of("/sys/fs/cgroup/memory/kafkube", pod.uid()))).as("cgroups removed").isFalse();
  }
}
