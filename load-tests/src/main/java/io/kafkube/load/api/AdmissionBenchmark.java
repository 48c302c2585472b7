package io.kafkube.load.api;

import io.kafkube.cli.up.LocalCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * What admission and time travel cost, through one {@code kafkube up} in this JVM over HTTPS: creates
 * of ConfigMaps (no admission work) against Services (a ClusterIP claimed in the store first) and
 * NodePort Services (an address and a port), with {@code --clients} concurrent workers, checking that
 * no address or port was handed out twice; then LISTs of the services at their exact past
 * resourceVersion (rebuilt from history) against LISTs of the current state, and audit queries.
 *
 * <pre>./mvnw -q -pl load-tests exec:java -Dexec.mainClass=io.kafkube.load.api.AdmissionBenchmark \
 *     -Dexec.args="--clients 16 --objects 1000 --lists 30"</pre>
 */
public final class AdmissionBenchmark {
  private static final Pattern CLUSTER_IP = Pattern.compile("\"clusterIP\":\"([0-9.]+)\"");
  private static final Pattern NODE_PORT = Pattern.compile("\"nodePort\":(\\d+)");

  private AdmissionBenchmark() {}

  public static void main(String[] args) throws Exception {
    int clients = 16;
    int objects = 1000;
    int lists = 30;
    for (int i = 0; i + 1 < args.length; i += 2) {
      int v = Integer.parseInt(args[i + 1]);
      switch (args[i]) {
        case "--clients" -> clients = v;
        case "--objects" -> objects = v;
        case "--lists" -> lists = v;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("kafkube-admission-bench");
    PrintStream out = System.out;
    try (LocalCluster cluster = LocalCluster.start(new LocalCluster.Settings(dir, "kafkube", 3, 0, 0, 0, 0), 0)) {
      out.printf(Locale.ROOT, "admission benchmark: one kafkube up in this JVM, 3 partitions, HTTPS, %d clients, "
          + "%d objects per phase, %d cores, max heap %d MiB%n", clients, objects,
          Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
      ApiHttp http = new ApiHttp(cluster.api().url(), cluster.api().caCertPath(), cluster.api().adminToken());
      String ns = "/api/v1/namespaces/default";
      posts(http, ns + "/configmaps", clients, Math.min(200, objects), i -> configMap("warm-" + i), null); // warm-up
      List<ApiBenchmark.Result> results = new ArrayList<>();
      results.add(posts(http, ns + "/configmaps", clients, objects, i -> configMap("cm-" + i), null)
          .named("create ConfigMap"));
      Set<String> ips = new HashSet<>();
      results.add(posts(http, ns + "/services", clients, objects, i -> service("svc-" + i, "ClusterIP"),
          body -> unique(ips, CLUSTER_IP, body)).named("create Service (ClusterIP)"));
      Set<String> ports = new HashSet<>();
      int nodePorts = Math.min(objects, 2000);
      results.add(posts(http, ns + "/services", clients, nodePorts, i -> service("np-" + i, "NodePort"),
          body -> unique(ips, CLUSTER_IP, body) && unique(ports, NODE_PORT, body))
          .named("create Service (NodePort)"));
      String rv = listRv(http, ns + "/services");
      results.add(gets(http, ns + "/services?resourceVersion=" + rv + "&resourceVersionMatch=NotOlderThan", lists)
          .named("LIST services (view)"));
      results.add(gets(http, ns + "/services?resourceVersion=" + rv + "&resourceVersionMatch=Exact", lists)
          .named("LIST services Exact (history)"));
      results.add(gets(http, "/apis/audit.kafkube.io/v1/events?resource=services&since=10m&limit=100", lists)
          .named("audit query (services, 10m)"));
      out.println();
      out.printf("%-32s %8s %10s %10s %10s %10s %7s%n", "phase", "ops", "ops/s", "p50 ms", "p99 ms", "p99.9 ms",
          "errors");
      for (ApiBenchmark.Result r : results) {
        out.printf(Locale.ROOT, "%-32s %8d %10.1f %10.2f %10.2f %10.2f %7d%n", r.name(), r.ops(), r.perSecond(),
            ms(r, 50), ms(r, 99), ms(r, 99.9), r.errors());
      }
      out.printf("distinct ClusterIPs handed out: %d, distinct NodePorts: %d (a duplicate counts as an error)%n",
          ips.size(), ports.size());
    }
    System.exit(0);
  }

  private static double ms(ApiBenchmark.Result r, double p) {
    return r.latencyMicros().getValueAtPercentile(p) / 1000.0;
  }

  private static boolean unique(Set<String> seen, Pattern p, String body) {
    Matcher m = p.matcher(body);
    boolean all = true;
    while (m.find()) {
      synchronized (seen) {
        all &= seen.add(m.group(1));
      }
    }
    return all;
  }

  private static String configMap(String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"k\":\"v\"}}";
  }

  private static String service(String name, String type) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"type\":\""
        + type + "\",\"selector\":{\"app\":\"" + name + "\"},\"ports\":[{\"port\":80}]}}";
  }

  private static String listRv(ApiHttp http, String path) throws IOException, InterruptedException {
    String body = new String(http.get(path + "?limit=1", "application/json").body(),
        java.nio.charset.StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("\"resourceVersion\":\"([^\"]+)\"").matcher(body);
    if (!m.find()) {
      throw new IllegalStateException("no resourceVersion in " + body);
    }
    return m.group(1);
  }

  /** A result with its phase name. */
  private record Named(ApiBenchmark.Result r) {
    ApiBenchmark.Result named(String name) {
      return new ApiBenchmark.Result(name, r.ops(), r.seconds(), r.latencyMicros(), r.errors());
    }
  }

  /** {@code total} POSTs by {@code clients} workers; a 201 whose body fails {@code check} is an error. */
  static Named posts(ApiHttp http, String path, int clients, int total, IntFunction<String> body,
      java.util.function.Predicate<String> check) throws InterruptedException {
    Histogram h = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
    AtomicInteger next = new AtomicInteger();
    AtomicLong errors = new AtomicLong();
    AtomicLong ok = new AtomicLong();
    CountDownLatch done = new CountDownLatch(clients);
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      Thread t = new Thread(() -> {
        try {
          for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
            long t0 = System.nanoTime();
            try {
              HttpResponse<String> r = http.post(path, body.apply(i));
              record(h, t0);
              if (r.statusCode() == 201 && (check == null || check.test(r.body()))) {
                ok.incrementAndGet();
              } else {
                errors.incrementAndGet();
              }
            } catch (IOException e) {
              errors.incrementAndGet();
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          done.countDown();
        }
      });
      t.setDaemon(true);
      t.start();
    }
    done.await();
    return new Named(new ApiBenchmark.Result("", ok.get(), (System.nanoTime() - start) / 1e9, h, errors.get()));
  }

  static Named gets(ApiHttp http, String path, int n) throws IOException, InterruptedException {
    Histogram h = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
    long errors = 0;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      int code = http.get(path, "application/json").statusCode();
      record(h, t0);
      if (code != 200) {
        errors++;
      }
    }
    return new Named(new ApiBenchmark.Result("", n - errors, (System.nanoTime() - start) / 1e9, h, errors));
  }

  private static void record(Histogram h, long t0) {
    synchronized (h) {
      h.recordValue(Math.min((System.nanoTime() - t0) / 1000, h.getHighestTrackableValue()));
    }
  }
}
