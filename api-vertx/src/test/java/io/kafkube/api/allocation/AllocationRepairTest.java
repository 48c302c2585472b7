package io.kafkube.api.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.api.ApiConfig;
import io.kafkube.api.Http;
import io.kafkube.api.TestCluster;
import io.kafkube.store.client.CommandClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repair loop of ClusterIP and NodePort claims in a running API server (pass every second, grace
 * of three), on a real broker and store: claims that no Service holds (as an API server that died
 * between the claim and the Service's write leaves them) are released after the grace period and not
 * before; the claims of a Service are kept; a Service whose claim went missing gets it back.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AllocationRepairTest {
  private static final Duration GRACE = Duration.ofSeconds(3);
  private static final String GHOST = "/registry/services/default/ghost";
  private static final String KEPT = "/registry/services/default/kept";
  @TempDir
  static Path dir;
  static TestCluster cluster;
  static Http api;
  static CommandClient client;
  static ServiceAllocator allocator;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, ApiConfig.defaults().withAllocationRepair(Duration.ofSeconds(1), GRACE));
    api = new Http(cluster.api.insecureUrl(), cluster.api.adminToken());
    client = new CommandClient(cluster.bootstrap, cluster.topics, -1);
    allocator = new ServiceAllocator(client, ServiceRanges.DEFAULT);
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static Map<String, String> claims() {
    return cluster.api.allocationRepair().claims();
  }

  @Test
  void leakedClaimsAreReleasedAfterTheGracePeriodAndHeldOnesKept() throws Exception {
    Http.Reply svc = api.post("/api/v1/namespaces/default/services", "{'metadata':{'name':'kept'},"
        + "'spec':{'type':'NodePort','selector':{'app':'x'},'ports':[{'port':80}]}}");
    assertThat(svc.code()).as(svc.raw()).isEqualTo(201);
    JsonNode spec = svc.body().path("spec");
    String ipKey = ServiceAllocator.IP_KEYS + spec.path("clusterIP").asText();
    String portKey = ServiceAllocator.PORT_KEYS + spec.path("ports").path(0).path("nodePort").asInt();

    // what an API server that died after claiming leaves behind
    String leakedIp = ServiceAllocator.IP_KEYS + "127.1.250.250";
    String leakedPort = ServiceAllocator.PORT_KEYS + "32555";
    long claimedAt = System.nanoTime();
    assertThat(allocator.claimKey(GHOST, leakedIp).get(30, TimeUnit.SECONDS)).isTrue();
    assertThat(allocator.claimKey(GHOST, leakedPort).get(30, TimeUnit.SECONDS)).isTrue();
    assertThat(claims()).containsEntry(leakedIp, GHOST).containsEntry(leakedPort, GHOST);

    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> !claims().containsKey(leakedIp) && !claims().containsKey(leakedPort));
    assertThat(Duration.ofNanos(System.nanoTime() - claimedAt)).as("released only after the grace period")
        .isGreaterThanOrEqualTo(GRACE);
    assertThat(claims()).containsEntry(ipKey, KEPT).containsEntry(portKey, KEPT);

    // the address is free again: a Service may ask for it
    Http.Reply takes = api.post("/api/v1/namespaces/default/services", "{'metadata':{'name':'takes'},"
        + "'spec':{'clusterIP':'127.1.250.250','ports':[{'port':80}]}}");
    assertThat(takes.code()).as(takes.raw()).isEqualTo(201);
    assertThat(claims()).containsEntry(leakedIp, "/registry/services/default/takes");
  }

  @Test
  void aServiceWhoseClaimWentMissingIsReportedAndClaimedAgain() throws Exception {
    Http.Reply svc = api.post("/api/v1/namespaces/default/services", "{'metadata':{'name':'lost'},"
        + "'spec':{'ports':[{'port':80}]}}");
    assertThat(svc.code()).as(svc.raw()).isEqualTo(201);
    String owner = "/registry/services/default/lost";
    String ipKey = ServiceAllocator.IP_KEYS + svc.body().path("spec").path("clusterIP").asText();
    allocator.releaseKey(owner, ipKey).get(30, TimeUnit.SECONDS);
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> owner.equals(claims().get(ipKey)));
    // a pass since then finds nothing to do for it
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      AllocationRepair.Report r = cluster.api.allocationRepair().lastReport();
      return r != null && r.services() >= 1 && !r.unclaimed().contains(ipKey);
    });
    assertThat(cluster.api.allocationRepair().lastReport().leaking()).doesNotContain(ipKey);
  }
}
