package io.kafkube.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkube.etcd.driver.EtcdDriver;
import io.kafkube.kafka.embedded.EmbeddedKafka;
import io.kafkube.store.etcd.EtcdConfig;
import io.kafkube.store.StoreConfig;
import io.kafkube.store.etcd.EtcdServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.file.PathUtils;

/**
 * kafkube's etcd endpoint and a real etcd 3.4 (Debian's {@code etcd-server}) side by side on this
 * machine, under the same jetcd workload (run by the etcd-driver in its own JVM): puts of 8-byte keys
 * with 256-byte values, and linearizable gets, by 1, 16 and 256 concurrent closed-loop clients.
 * The systems run one after the other, never at the same time. Prints throughput, p50 and p99 latency
 * of both, and the ratio kafkube/etcd.
 *
 * <p>Usage: {@code EtcdBenchmark [--seconds S] [--warmup W] [--clients 1,16,256] [--partitions P]
 * [--connections N] [--etcd /usr/bin/etcd]}.
 */
public final class EtcdBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EtcdBenchmark() {}

  record Row(String op, int clients, JsonNode etcd, JsonNode kafkube) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new LinkedHashMap<>(Map.of("seconds", "10", "warmup", "5", "clients", "1,16,256",
        "partitions", "6", "connections", "4", "etcd", "/usr/bin/etcd", "ops", "put,get"));
    o.put("systems", "etcd,kafkube");
    for (int i = 0; i + 1 < args.length; i += 2) {
      o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int[] clients = Arrays.stream(o.get("clients").split(",")).mapToInt(Integer::parseInt).toArray();
    List<String> ops = List.of(o.get("ops").split(","));
    PrintStream out = System.out;

    Map<String, JsonNode> etcd = new LinkedHashMap<>();
    Map<String, JsonNode> kafkube = new LinkedHashMap<>();
    List<String> systems = List.of(o.get("systems").split(","));
    if (systems.contains("etcd")) {
      runEtcd(o, ops, clients, etcd, out);
    }
    if (systems.contains("kafkube")) {
      runKafkube(o, ops, clients, kafkube, out);
    }
    List<Row> rows = new ArrayList<>();
    for (String op : ops) {
      for (int c : clients) {
        rows.add(new Row(op, c, etcd.getOrDefault(op + c, JSON.createObjectNode()),
            kafkube.getOrDefault(op + c, JSON.createObjectNode())));
      }
    }
    print(out, rows, o);
  }

  private static void runEtcd(Map<String, String> o, List<String> ops, int[] clients, Map<String, JsonNode> etcd,
      PrintStream out) throws Exception {
    Path etcdDir = Files.createTempDirectory("etcd-bench-");
    int port = EmbeddedKafka.freePort();
    int peer = EmbeddedKafka.freePort();
    Process etcdProcess = new ProcessBuilder(o.get("etcd"), "--name", "bench", "--data-dir",
        etcdDir.resolve("data").toString(), "--listen-client-urls", "http://127.0.0.1:" + port,
        "--advertise-client-urls", "http://127.0.0.1:" + port, "--listen-peer-urls", "http://127.0.0.1:" + peer,
        "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
        "--initial-cluster", "bench=http://127.0.0.1:" + peer)
        .redirectErrorStream(true).redirectOutput(etcdDir.resolve("etcd.log").toFile()).start();
    try {
      awaitPort(port, Duration.ofSeconds(30));
      String version = new String(new ProcessBuilder(o.get("etcd"), "--version").start().getInputStream()
          .readAllBytes()).lines().findFirst().orElse("etcd");
      out.println("# " + version + " on 127.0.0.1:" + port + ", data in " + etcdDir);
      for (String op : ops) {
        for (int c : clients) {
          etcd.put(op + c, run("http://127.0.0.1:" + port, op, c, o));
        }
      }
    } finally {
      etcdProcess.destroy();
      etcdProcess.waitFor(30, TimeUnit.SECONDS);
      PathUtils.deleteDirectory(etcdDir);
    }
  }

  private static void runKafkube(Map<String, String> o, List<String> ops, int[] clients,
      Map<String, JsonNode> kafkube, PrintStream out) throws Exception {
    try (BenchCluster cluster = new BenchCluster(Integer.parseInt(o.get("partitions")))) {
      try (io.kafkube.store.client.CommandClient client = new io.kafkube.store.client.CommandClient(
          cluster.kafka.bootstrapServers(), cluster.topics, -1)) {
        io.kafkube.store.StoreService.bootstrapNamespaces(client, Duration.ofSeconds(90)); // as kafkube up does
      }
      runOn(cluster, o, ops, clients, kafkube, out);
    }
  }

  private static void runOn(BenchCluster cluster, Map<String, String> o, List<String> ops, int[] clients,
      Map<String, JsonNode> kafkube, PrintStream out) throws Exception {
    try (EtcdServer server = EtcdServer.start(EtcdConfig.defaults(cluster.kafka.bootstrapServers()).withPort(0),
             cluster.topics, Duration.ofMinutes(1))) {
      out.println("# kafkube etcd endpoint on " + server.url() + ", P = " + cluster.topics.partitions()
          + ", store commit.interval.ms = " + cluster.storeConfig.commitIntervalMs());
      for (String op : ops) {
        for (int c : clients) {
          kafkube.put(op + c, run(server.url(), op, c, o));
        }
      }
    }
  }

  private static JsonNode run(String endpoint, String op, int clients, Map<String, String> o)
      throws IOException, InterruptedException {
    String line = EtcdDriver.run("1g", 10, TimeUnit.MINUTES, "bench", endpoint, op, Integer.toString(clients),
        o.get("connections"), o.get("warmup"), o.get("seconds"));
    JsonNode r = JSON.readTree(line);
    System.out.println("# " + endpoint + " " + line);
    return r;
  }

  static void print(PrintStream out, List<Row> rows, Map<String, String> o) {
    out.println();
    out.println("etcd v3 API, jetcd " + o.get("connections") + " connections, closed-loop clients, "
        + o.get("warmup") + " s warm-up + " + o.get("seconds") + " s measured per row; 8-byte keys, 256-byte values;"
        + " gets are linearizable");
    out.println("durability: etcd 3.4 (defaults): one member, every acknowledged write is in its WAL with fsync"
        + " (fdatasync per raft batch) before the reply.");
    out.println("durability: kafkube: one embedded broker (replication factor 1), commands produced with acks=all"
        + " + idempotence, store exactly_once_v2 (commit.interval.ms " + StoreConfig.defaults().commitIntervalMs()
        + "); Kafka does not fsync per write"
        + " (the OS page cache, and replication in a real deployment, carry durability): an OS crash of this"
        + " single node can lose acknowledged writes that etcd would keep.");
    out.printf(Locale.ROOT, "%-4s %7s | %10s %9s %9s | %10s %9s %9s | %10s %8s%n", "op", "clients",
        "etcd op/s", "p50 ms", "p99 ms", "kafkube/s", "p50 ms", "p99 ms", "ratio k/e", "k errors");
    for (Row r : rows) {
      double e = r.etcd().path("throughput").asDouble();
      double k = r.kafkube().path("throughput").asDouble();
      out.printf(Locale.ROOT, "%-4s %7d | %10.0f %9.2f %9.2f | %10.0f %9.2f %9.2f | %10.2f %8d%n", r.op(),
          r.clients(), e, r.etcd().path("p50ms").asDouble(), r.etcd().path("p99ms").asDouble(), k,
          r.kafkube().path("p50ms").asDouble(), r.kafkube().path("p99ms").asDouble(), e == 0 ? 0 : k / e,
          r.kafkube().path("errors").asLong());
    }
    for (Row r : rows) {
      if (r.op().equals("put") && r.clients() == 256) {
        double ratio = r.kafkube().path("throughput").asDouble() / Math.max(1e-9, r.etcd().path("throughput").asDouble());
        double p99 = r.kafkube().path("p99ms").asDouble();
        out.printf(Locale.ROOT, "target (put, 256 clients): kafkube/etcd throughput >= 2.00: %.2f %s; kafkube p99 <= 50 ms:"
            + " %.1f ms %s%n", ratio, ratio >= 2 ? "MET" : "NOT MET", p99, p99 <= 50 ? "MET" : "NOT MET");
      }
    }
  }

  private static void awaitPort(int port, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        Thread.sleep(500); // let it finish electing itself leader
        return;
      } catch (IOException e) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("etcd did not listen on " + port + " within " + timeout);
  }
}
