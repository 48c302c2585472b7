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
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        AgentMain.class.getName(), "--bootstrap-servers", cluster.kafka.bootstrapServers(),
        "--registry-url", cluster.registry.url(), "--partitions", Integer.toString(TestCluster.P),
        "--node-name", NODE, "--data-dir", dir.resolve("agent").toString(), "--pod-cidr", "127.4.0.0/16",
        "--sync-period-ms", "200", "--stop-containers-on-exit", "true");
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
}
