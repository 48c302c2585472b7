package io.kafkube.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.schemas.envelope.ReplyView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as its own process ({@link AgentMain}), killed with SIGKILL while a container runs: the
 * container survives, and the next agent on the same data directory adopts it (no second copy), still
 * sees its exit and restarts it by policy.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class AgentKillNineTest {
  private static final String NODE = "agent-kill9";
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir
  static Path dir;
  static TestCluster cluster;
  static final List<Process> agents = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Process p : agents) {
      p.destroy(); // SIGTERM: the agent started with --stop-containers-on-exit stops its containers
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Process agent(String log) throws Exception {
    return agent(log, NODE, "agent", "127.4.0.0/16");
  }

  private static Process agent(String log, String node, String dataDir, String cidr, String... more) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        AgentMain.class.getName(), "--bootstrap-servers", cluster.kafka.bootstrapServers(),
        "--registry-url", cluster.registry.url(), "--partitions", Integer.toString(TestCluster.P),
        "--node-name", node, "--data-dir", dir.resolve(dataDir).toString(), "--pod-cidr", cidr,
        "--sync-period-ms", "200", "--stop-containers-on-exit", "true"));
    cmd.addAll(List.of(more));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log).toFile()));
    Process p = pb.start();
    agents.add(p);
    return p;
  }

  private static JsonNode main(String pod) {
    return cluster.pod(pod).path("status").path("containerStatuses").path(0);
  }

  @Test
  void aKilledAgentsContainerIsAdoptedByTheNextAgentNotStartedTwice() throws Exception {
    Process first = agent("agent-1.log");
    Path starts = dir.resolve("starts.txt");
    ReplyView r = cluster.create(TestCluster.PODS, "default", "survivor", """
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "survivor", "namespace": "default"},
         "spec": {"restartPolicy": "Always", "terminationGracePeriodSeconds": 2,
                  "containers": [{"name": "main", "image": "busybox",
                                  "command": ["sh", "-c", "echo $$$$ >> %s; exec sleep 600"]}]}}
        """.formatted(starts));
    assertThat(r.code()).as(r.message()).isEqualTo(201);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(cluster.pod("survivor").path("spec").path("nodeName").asText()).isEqualTo(NODE);
      assertThat(main("survivor").path("state").has("running")).isTrue();
    });
    String containerId = main("survivor").path("containerID").asText();
    long wrapperPid = Long.parseLong(containerId.substring("process://".length()));
    long sleepPid = Long.parseLong(Files.readAllLines(starts).get(0).trim());

    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // kill -9
    assertThat(ProcessHandle.of(sleepPid).map(ProcessHandle::isAlive)).as("the container outlives its agent")
        .contains(true);

    agent("agent-2.log");
    // The new agent has taken over once it has read its assignments (it logs when it runs).
    // ("$$$$" in the spec: Kubernetes reduces "$$" to "$", so the shell sees "$$", its pid.)
    await().atMost(WAIT).until(() -> Files.readString(dir.resolve("agent-2.log")).contains("running 1 node(s)"));
    Thread.sleep(1000); // a few sync periods of the new agent
    assertThat(Files.readAllLines(starts)).as("no second copy").hasSize(1);
    assertThat(main("survivor").path("containerID").asText()).isEqualTo(containerId);
    assertThat(main("survivor").path("restartCount").asInt()).isZero();

    ProcessHandle.of(sleepPid).orElseThrow().destroyForcibly();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(main("survivor").path("restartCount").asInt()).isEqualTo(1);
      assertThat(main("survivor").path("lastState").path("terminated").path("exitCode").asInt()).isEqualTo(137);
      assertThat(main("survivor").path("state").has("running")).isTrue();
    });
    assertThat(Files.readAllLines(starts)).hasSize(2);
    assertThat(ProcessHandle.of(wrapperPid).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false));
  }

  /**
   * A pod deleted while its agent was down (killed): the next agent finds its containers no longer
   * assigned and removes everything of it from the machine: processes, the tmpfs of its memory-backed
   * emptyDir, the mount point its volume needed, its cgroups (with the pod's pids limit) and its directory.
   */
  @Test
  void whatAKilledAgentLeftOfAPodDeletedMeanwhileIsCleanedUpByTheNextAgent() throws Exception {
    io.kafkube.agent.cgroup.Cgroups cg = io.kafkube.agent.cgroup.Cgroups.detect().withPodMaxPids(100);
    org.junit.jupiter.api.Assumptions.assumeTrue(cg.limitsPods() && cg.mode() == io.kafkube.agent.cgroup.Cgroups.Mode.V1
        && io.kafkube.agent.volume.MountNamespaces.available(), "needs cgroup v1 with pids and mount namespaces");
    String node = "agent-kill9-leftovers";
    Process first = agent("leftovers-1.log", node, "agent-leftovers", "127.5.0.0/16", "--pod-max-pids", "100");
    String base = "/tmp/kafkube-k9-" + java.util.UUID.randomUUID();
    Path seen = dir.resolve("seen.txt");
    ReplyView r = cluster.create(TestCluster.PODS, "default", "leftover", """
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "leftover", "namespace": "default"},
         "spec": {"nodeName": "%s", "terminationGracePeriodSeconds": 2,
                  "volumes": [{"name": "cache", "emptyDir": {"medium": "Memory", "sizeLimit": "8Mi"}}],
                  "containers": [{"name": "main", "image": "busybox",
                                  "command": ["sh", "-c", "grep ' %s/cache ' /proc/mounts > %s; exec sleep 600"],
                                  "volumeMounts": [{"name": "cache", "mountPath": "%s/cache"}],
                                  "resources": {"limits": {"memory": "64Mi"}}}]}}
        """.formatted(node, base, seen, base));
    assertThat(r.code()).as(r.message()).isEqualTo(201);
    await().atMost(WAIT).untilAsserted(() -> assertThat(main("leftover").path("state").has("running")).isTrue());
    await().atMost(WAIT).until(() -> Files.exists(seen) && Files.size(seen) > 0);
    assertThat(Files.readString(seen)).as("the container sees the tmpfs").contains(" tmpfs ").contains("size=8192k");
    String uid = cluster.pod("leftover").path("metadata").path("uid").asText();
    long wrapper = Long.parseLong(main("leftover").path("containerID").asText().substring("process://".length()));
    List<Long> processes = ProcessHandle.of(wrapper).orElseThrow().descendants().map(ProcessHandle::pid).toList();
    Path podDir = dir.resolve("agent-leftovers").resolve(node).resolve("pods").resolve(uid);
    assertThat(Files.readString(Path.of("/sys/fs/cgroup/pids/kafkube", uid, "pids.max")).trim()).isEqualTo("100");
    assertThat(io.kafkube.agent.volume.HostMounts.under(podDir)).hasSize(1);

    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // kill -9
    assertThat(cluster.deletePod("leftover", 0).code()).isEqualTo(200);
    await().atMost(WAIT).until(() -> cluster.pod("leftover").isMissingNode());
    assertThat(ProcessHandle.of(wrapper).map(ProcessHandle::isAlive)).contains(true);

    agent("leftovers-2.log", node, "agent-leftovers", "127.5.0.0/16", "--pod-max-pids", "100");
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(podDir).doesNotExist();
      assertThat(io.kafkube.agent.volume.HostMounts.under(podDir)).as("the tmpfs is unmounted").isEmpty();
      assertThat(Path.of(base)).as("the mount point the agent created is removed").doesNotExist();
      for (String h : List.of("memory", "cpu", "pids")) {
        assertThat(Path.of("/sys/fs/cgroup", h, "kafkube", uid)).doesNotExist();
      }
    });
    assertThat(ProcessHandle.of(wrapper).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false));
    assertThat(processes).allSatisfy(p ->
        assertThat(ProcessHandle.of(p).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false)));
  }
}
