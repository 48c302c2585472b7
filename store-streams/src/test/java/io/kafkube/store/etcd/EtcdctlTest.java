package io.kafkube.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.store.TestObjects;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code etcdctl} (Debian's etcd-client, installed by {@code scripts/install-test-deps})
 * against the endpoint, on a real broker with the real store.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EtcdctlTest {
  private static final String ETCDCTL = "/usr/bin/etcdctl";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  static EtcdCluster cluster;

  record Result(int exit, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of(ETCDCTL)), "etcdctl is not installed (scripts/install-test-deps)");
    cluster = new EtcdCluster(dir, 3);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Result etcdctl(byte[] stdin, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(ETCDCTL, "--endpoints=" + cluster.etcd.url(), "--dial-timeout=5s",
        "--command-timeout=20s"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("ETCDCTL_API", "3");
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread t1 = copy(p.getInputStream(), out);
    Thread t2 = copy(p.getErrorStream(), err);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("etcdctl " + args[0] + " did not finish");
    }
    t1.join(5000);
    t2.join(5000);
    return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Result etcdctl(String... args) throws IOException, InterruptedException {
    return etcdctl(null, args);
  }

  private static Thread copy(InputStream in, ByteArrayOutputStream out) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          synchronized (out) {
            out.write(buf, 0, n);
          }
        }
      } catch (IOException e) {
        // process ended
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static long revisionOfPut(String key, String value) throws Exception {
    Result r = etcdctl("put", key, value, "-w", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    return JSON.readTree(r.out()).path("header").path("revision").asLong();
  }

  @Test
  void putGetDelete() throws Exception {
    Result put = etcdctl("put", "key", "I am a value");
    assertThat(put.exit()).as(put.err()).isZero();
    assertThat(put.out()).isEqualTo("OK\n");
    assertThat(etcdctl("get", "key").out()).isEqualTo("key\nI am a value\n");
    assertThat(etcdctl("del", "key").out()).isEqualTo("1\n");
    assertThat(etcdctl("get", "key").out()).isEmpty();
    assertThat(etcdctl("del", "key").out()).as("deleting a missing key").isEqualTo("0\n");
  }

  @Test
  void versionsAndRevisionsAsEtcdDefinesThem() throws Exception {
    long r1 = revisionOfPut("counted", "1");
    long r2 = revisionOfPut("counted", "2");
    JsonNode kv = JSON.readTree(etcdctl("get", "counted", "-w", "json").out()).path("kvs").get(0);
    assertThat(kv.path("create_revision").asLong()).isEqualTo(r1);
    assertThat(kv.path("mod_revision").asLong()).isEqualTo(r2);
    assertThat(kv.path("version").asLong()).isEqualTo(2);
    assertThat(r2).isGreaterThan(r1);
  }

  @Test
  void getAtAnOldRevisionReadsHistory() throws Exception {
    long old = revisionOfPut("timetravel", "old value");
    revisionOfPut("timetravel", "new value");
    assertThat(etcdctl("get", "timetravel").out()).isEqualTo("timetravel\nnew value\n");
    assertThat(etcdctl("get", "timetravel", "--rev=" + old).out()).isEqualTo("timetravel\nold value\n");
    Result future = etcdctl("get", "timetravel", "--rev=" + (old + 1_000_000));
    assertThat(future.exit()).isNotZero();
    assertThat(future.err()).contains("etcdserver: mvcc: required revision is a future revision");
  }

  @Test
  void prefixRangeCountLimitAndSort() throws Exception {
    for (String k : List.of("p/b", "p/a", "p/c")) {
      etcdctl("put", k, "v-" + k);
    }
    etcdctl("put", "q", "outside");
    assertThat(etcdctl("get", "p/", "--prefix", "--keys-only").out()).isEqualTo("p/a\n\np/b\n\np/c\n\n");
    assertThat(etcdctl("get", "p/", "--prefix", "--limit=2", "--keys-only").out()).isEqualTo("p/a\n\np/b\n\n");
    assertThat(etcdctl("get", "p/", "--prefix", "--keys-only", "--order=DESCEND").out())
        .isEqualTo("p/c\n\np/b\n\np/a\n\n");
    JsonNode count = JSON.readTree(etcdctl("get", "p/", "--prefix", "--limit=1", "-w", "json").out());
    assertThat(count.path("count").asLong()).isEqualTo(3);
    assertThat(count.path("more").asBoolean()).isTrue();
    assertThat(etcdctl("del", "p/", "--prefix").out()).isEqualTo("3\n");
    assertThat(etcdctl("get", "p/", "--prefix").out()).isEmpty();
    assertThat(etcdctl("get", "q").out()).isEqualTo("q\noutside\n");
  }

  @Test
  void txnWithAFailingCompareTakesTheFailureBranch() throws Exception {
    etcdctl("put", "txnkey", "current");
    String script = "value(\"txnkey\") = \"something else\"\n\nput txnkey success\n\nput txnkey failure\n\n";
    Result r = etcdctl(script.getBytes(StandardCharsets.UTF_8), "txn");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("FAILURE");
    assertThat(etcdctl("get", "txnkey").out()).isEqualTo("txnkey\nfailure\n");
    String ok = "value(\"txnkey\") = \"failure\"\n\nput txnkey success\n\n\n";
    assertThat(etcdctl(ok.getBytes(StandardCharsets.UTF_8), "txn").out()).startsWith("SUCCESS");
    assertThat(etcdctl("get", "txnkey").out()).isEqualTo("txnkey\nsuccess\n");
  }

  @Test
  void keysOfAnExpiredLeaseDisappear() throws Exception {
    Result grant = etcdctl("lease", "grant", "2");
    assertThat(grant.exit()).as(grant.err()).isZero();
    assertThat(grant.out()).matches("lease [0-9a-f]+ granted with TTL\\(2s\\)\\n");
    String id = grant.out().split(" ")[1];
    assertThat(etcdctl("put", "--lease=" + id, "leased", "v").out()).isEqualTo("OK\n");
    assertThat(etcdctl("get", "leased").out()).isEqualTo("leased\nv\n");
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> etcdctl("get", "leased").out().isEmpty());
    assertThat(etcdctl("lease", "timetolive", id).out()).contains("already expired");
  }

  @Test
  void leasesOutliveTheEndpointAndStayHidden() throws Exception {
    Result grant = etcdctl("lease", "grant", "600");
    assertThat(grant.exit()).as(grant.err()).isZero();
    String id = grant.out().split(" ")[1];
    assertThat(etcdctl("put", "--lease=" + id, "long-lived", "v").out()).isEqualTo("OK\n");
    assertThat(etcdctl("get", "", "--from-key", "--keys-only").out()).as("the lease record is not an etcd key")
        .doesNotContain("kafkube/lease");
    try (EtcdServer restarted = EtcdServer.start(EtcdConfig.defaults(cluster.kafka.bootstrapServers()).withPort(0),
        cluster.topics, Duration.ofSeconds(60))) {
      List<String> cmd = new ArrayList<>(List.of(ETCDCTL, "--endpoints=" + restarted.url(), "lease", "timetolive",
          id, "--keys"));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String ttl = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(ttl).contains("granted with TTL(600s)").contains("long-lived");
      cmd = new ArrayList<>(List.of(ETCDCTL, "--endpoints=" + restarted.url(), "lease", "revoke", id));
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String revoked = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(revoked).contains("revoked");
    }
    assertThat(etcdctl("get", "long-lived").out()).as("revoking the lease deleted its key").isEmpty();
  }

  @Test
  void unknownLeaseTooLargeValueAndEmptyKeyAreRefusedAsEtcdDoes() throws Exception {
    Result unknown = etcdctl("put", "--lease=1234abcd", "nolease", "v");
    assertThat(unknown.exit()).isNotZero();
    assertThat(unknown.err()).contains("etcdserver: requested lease not found");
    byte[] big = new byte[1536 * 1024 + 100];
    java.util.Arrays.fill(big, (byte) 'x');
    Result tooLarge = etcdctl(big, "put", "bigkey");
    assertThat(tooLarge.exit()).isNotZero();
    assertThat(tooLarge.err()).contains("etcdserver: request is too large");
    assertThat(etcdctl("get", "nolease").out()).isEmpty();
    assertThat(etcdctl("get", "bigkey").out()).isEmpty();
    Result empty = etcdctl("put", "", "v");
    assertThat(empty.exit()).isNotZero();
    assertThat(empty.err()).contains("key is not provided");
    assertThat(etcdctl("get", "zz", "aa").out()).as("range_end before key: nothing, as etcd").isEmpty();
  }

  @Test
  void registryKeysAreTheKubernetesObjects() throws Exception {
    long rev = JSON.readTree(etcdctl("get", "nothing", "-w", "json").out()).path("header").path("revision").asLong();
    Process watch = new ProcessBuilder(ETCDCTL, "--endpoints=" + cluster.etcd.url(), "watch", "--prefix",
        "/registry/pods/", "--rev=" + (rev + 1)).start();
    ByteArrayOutputStream watched = new ByteArrayOutputStream();
    copy(watch.getInputStream(), watched);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.etcd.watchers() > 0);
      GenericRecord cmd = TestObjects.command(Op.CREATE, TestObjects.PODS, "default", "web-0",
              cluster.client.newRequestId()).replyPartition(cluster.client.replyPartition())
          .object(TestObjects.pod("default", "web-0", "nginx")).build();
      ReplyView created = cluster.client.call(cmd, Duration.ofSeconds(30));
      assertThat(created.code()).isEqualTo(201);

      await().atMost(Duration.ofSeconds(30)).until(() -> {
        synchronized (watched) {
          return watched.toString(StandardCharsets.UTF_8).contains("\"web-0\"");
        }
      });
      String w;
      synchronized (watched) {
        w = watched.toString(StandardCharsets.UTF_8);
      }
      assertThat(w).startsWith("PUT\n/registry/pods/default/web-0\n{");
    } finally {
      watch.destroy();
      watch.waitFor(10, TimeUnit.SECONDS);
    }

    String keys = etcdctl("get", "/", "--prefix", "--keys-only").out();
    assertThat(keys).contains("/registry/pods/default/web-0\n", "/registry/namespaces/default\n",
        "/registry/namespaces/kube-system\n");
    JsonNode pod = JSON.readTree(etcdctl("get", "/registry/pods/default/web-0", "--print-value-only").out());
    assertThat(pod.path("kind").asText()).isEqualTo("Pod");
    assertThat(pod.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(pod.path("spec").path("containers").get(0).path("image").asText()).isEqualTo("nginx");

    // A valid object put through etcd is created by the store, with its validation and defaults.
    String cm = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\"},\"data\":{\"a\":\"b\"}}";
    Result put = etcdctl("put", "/registry/configmaps/default/cfg", cm);
    assertThat(put.exit()).as(put.err()).isZero();
    JsonNode stored = JSON.readTree(etcdctl("get", "/registry/configmaps/default/cfg", "--print-value-only").out());
    assertThat(stored.path("data").path("a").asText()).isEqualTo("b");
    assertThat(stored.path("metadata").path("uid").asText()).isNotEmpty();

    // An invalid one is refused with the field named, and nothing is written.
    String bad = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"bad\"},\"spec\":{\"containers\":[]}}";
    Result refused = etcdctl("put", "/registry/pods/default/bad", bad);
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("spec.containers");
    assertThat(etcdctl("get", "/registry/pods/default/bad").out()).isEmpty();

    assertThat(etcdctl("del", "/registry/configmaps/default/cfg").out()).isEqualTo("1\n");
    assertThat(etcdctl("get", "/registry/configmaps/default/cfg").out()).isEmpty();
  }

  @Test
  void watchFromAnOldRevisionWithPrevKv() throws Exception {
    long first = revisionOfPut("watched", "v1");
    revisionOfPut("watched", "v2");
    Process watch = new ProcessBuilder(ETCDCTL, "--endpoints=" + cluster.etcd.url(), "watch", "watched",
        "--rev=" + first, "--prev-kv").start();
    ByteArrayOutputStream watched = new ByteArrayOutputStream();
    copy(watch.getInputStream(), watched);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        synchronized (watched) {
          String w = watched.toString(StandardCharsets.UTF_8);
          return w.startsWith("PUT\nwatched\nv1\nPUT\nwatched\nv1\nwatched\nv2\n");
        }
      });
    } finally {
      watch.destroy();
      watch.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aCanceledWatchGetsNoMoreEventsAndProgressIsNotified() throws Exception {
    io.grpc.ManagedChannel ch = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder
        .forAddress("127.0.0.1", cluster.etcd.port()).usePlaintext().build();
    java.util.concurrent.LinkedBlockingQueue<io.etcd.jetcd.api.WatchResponse> got =
        new java.util.concurrent.LinkedBlockingQueue<>();
    try {
      io.grpc.stub.StreamObserver<io.etcd.jetcd.api.WatchRequest> req = io.etcd.jetcd.api.WatchGrpc.newStub(ch)
          .watch(new io.grpc.stub.StreamObserver<>() {
            @Override
            public void onNext(io.etcd.jetcd.api.WatchResponse r) {
              got.add(r);
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
          });
      com.google.protobuf.ByteString key = com.google.protobuf.ByteString.copyFromUtf8("cancelled");
      req.onNext(io.etcd.jetcd.api.WatchRequest.newBuilder().setCreateRequest(
          io.etcd.jetcd.api.WatchCreateRequest.newBuilder().setKey(key)).build());
      io.etcd.jetcd.api.WatchResponse created = got.poll(30, TimeUnit.SECONDS);
      assertThat(created.getCreated()).isTrue();
      long first = created.getWatchId();
      req.onNext(io.etcd.jetcd.api.WatchRequest.newBuilder().setCancelRequest(
          io.etcd.jetcd.api.WatchCancelRequest.newBuilder().setWatchId(first)).build());
      io.etcd.jetcd.api.WatchResponse canceled = got.poll(30, TimeUnit.SECONDS);
      assertThat(canceled.getCanceled()).isTrue();
      assertThat(canceled.getWatchId()).isEqualTo(first);
      req.onNext(io.etcd.jetcd.api.WatchRequest.newBuilder().setCreateRequest(
          io.etcd.jetcd.api.WatchCreateRequest.newBuilder().setKey(key).setProgressNotify(true)).build());
      long second = got.poll(30, TimeUnit.SECONDS).getWatchId();
      assertThat(second).isNotEqualTo(first);
      etcdctl("put", "cancelled", "x");
      io.etcd.jetcd.api.WatchResponse event = got.poll(30, TimeUnit.SECONDS);
      assertThat(event.getWatchId()).isEqualTo(second);
      assertThat(event.getEvents(0).getKv().getValue().toStringUtf8()).isEqualTo("x");
      // progress_notify: periodic empty responses for the watch (every second in this test's configuration)
      io.etcd.jetcd.api.WatchResponse periodic = got.poll(30, TimeUnit.SECONDS);
      assertThat(periodic.getWatchId()).isEqualTo(second);
      assertThat(periodic.getEventsCount()).isZero();
      assertThat(periodic.getHeader().getRevision()).isGreaterThanOrEqualTo(event.getHeader().getRevision());
      // a progress request: answered for the whole stream (watch id -1, as etcd 3.4)
      req.onNext(io.etcd.jetcd.api.WatchRequest.newBuilder().setProgressRequest(
          io.etcd.jetcd.api.WatchProgressRequest.getDefaultInstance()).build());
      io.etcd.jetcd.api.WatchResponse progress;
      do {
        progress = got.poll(30, TimeUnit.SECONDS);
        assertThat(progress).isNotNull();
        assertThat(progress.getWatchId()).as("nothing for the canceled watch").isNotEqualTo(first);
      } while (progress.getWatchId() != -1);
      assertThat(progress.getEventsCount()).isZero();
      req.onCompleted();
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void tlsIsOptional() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
    Path cert = dir.resolve("etcd.crt");
    Path key = dir.resolve("etcd.key");
    Process gen = new ProcessBuilder("/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
        "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=kafkube-etcd",
        "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
    gen.getInputStream().readAllBytes();
    assertThat(gen.waitFor(60, TimeUnit.SECONDS) && gen.exitValue() == 0).as("openssl made a certificate").isTrue();
    try (EtcdServer tls = EtcdServer.start(EtcdConfig.defaults(cluster.kafka.bootstrapServers()).withPort(0)
        .withTls(cert, key), cluster.topics, Duration.ofSeconds(60))) {
      assertThat(tls.url()).startsWith("https://127.0.0.1:");
      List<String> base = List.of(ETCDCTL, "--endpoints=" + tls.url(), "--cacert=" + cert, "--dial-timeout=5s",
          "--command-timeout=20s");
      List<String> put = new ArrayList<>(base);
      put.addAll(List.of("put", "over-tls", "secret"));
      Process p = new ProcessBuilder(put).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(out).isEqualTo("OK\n");
    }
    assertThat(etcdctl("get", "over-tls").out()).as("the same store behind both endpoints")
        .isEqualTo("over-tls\nsecret\n");
  }

  @Test
  void endpointStatusAndHealthAnswer() throws Exception {
    Result status = etcdctl("endpoint", "status");
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out()).startsWith(cluster.etcd.url() + ", ").contains(MaintenanceService.VERSION);
    Result health = etcdctl("endpoint", "health");
    assertThat(health.exit()).as(health.err()).isZero();
    assertThat(health.out() + health.err()).contains("is healthy");
    assertThat(etcdctl("member", "list").out()).contains("kafkube");
  }
}
