package io.kafkube.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.cli.common.Endpoints;
import io.kafkube.cli.up.LocalCluster;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.envelope.Envelopes;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.envelope.User;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.store.client.CommandClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kafkube up} in-process on a real broker, then {@code history} and {@code replay} against it, then a restart. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LocalClusterTest {
  private static final ResourceType CM = ResourceRegistry.kubernetes().byGroupResource("configmaps").orElseThrow();
  private static final ResourceType NODES = ResourceRegistry.kubernetes().byGroupResource("nodes").orElseThrow();
  private static final String NODE_JSON = """
      {"apiVersion": "v1", "kind": "Node",
       "metadata": {"name": "worker-1", "labels": {"kubernetes.io/hostname": "worker-1", "kubernetes.io/os": "linux"}},
       "status": {"capacity": {"cpu": "2", "memory": "4Gi", "pods": "110"},
                  "allocatable": {"cpu": "2", "memory": "4Gi", "pods": "110"},
                  "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady"}]}}
      """;
  private static final User BOB = new User("bob", java.util.List.of("system:authenticated"), null);

  @TempDir
  Path dir;

  @Test
  void upHistoryReplayAndRestart() throws Exception {
    LocalCluster.Settings settings = new LocalCluster.Settings(dir, "kafkube", 3, 0, 0, 0, 0);
    try (LocalCluster cluster = LocalCluster.start(settings, 0)) { // no node agent: the test registers worker-1
      Endpoints e = Endpoints.read(dir);
      assertThat(e.get("kafka")).startsWith("127.0.0.1:");
      assertThat(e.get("registry")).startsWith("http://127.0.0.1:");
      assertThat(e.get("partitions")).isEqualTo("3");
      assertThat(e.get("api")).startsWith("https://127.0.0.1:");
      assertThat(Path.of(e.get("kubeconfig"))).exists();
      Kubectl get = Kubectl.run(dir, e.get("kubeconfig"), null, "get", "namespaces");
      assertThat(get.code()).as(get.out()).isZero();
      assertThat(get.out()).contains("default", "kube-system", "kube-public", "kube-node-lease", "Active");

      try (CommandClient client = new CommandClient(e.get("kafka"), cluster.topics(), -1)) {
        GenericRecord cm = new GenericData.Record(KafkubeSchemas.kind(CM));
        Meta.set(cm, "name", "settings");
        cm.put("data", Map.of("a", "1"));
        ReplyView created = call(client, Op.CREATE, cm);
        assertThat(created.code()).isEqualTo(201);
        GenericRecord changed = AvroPaths.copy(created.object());
        changed.put("data", Map.of("a", "2"));
        assertThat(call(client, Op.UPDATE, changed).code()).isEqualTo(200);
      }

      // The scheduler runs in `up`: a Ready node registered through the store, a pod created with the real
      // kubectl, and the pod is bound to that node.
      try (CommandClient client = new CommandClient(e.get("kafka"), cluster.topics(), -1)) {
        GenericRecord node = KubeJson.decode(NODE_JSON.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            KafkubeSchemas.kind(NODES)).record();
        GenericRecord cmd = Envelopes.command(Op.CREATE, NODES.key(null, "worker-1").toString(), NODES.groupResource(),
            new User("system:node:worker-1", java.util.List.of("system:nodes"), null), client.newRequestId())
            .object(node).replyPartition(client.replyPartition()).build();
        ReplyView registered = client.call(cmd, Duration.ofSeconds(30));
        assertThat(registered.code()).as(registered.message()).isEqualTo(201);
      }
      Kubectl runPod = Kubectl.run(dir, e.get("kubeconfig"), null, "run", "web", "--image=python:3", "--restart=Never",
          "--labels=app=web");
      assertThat(runPod.code()).as(runPod.out()).isZero();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> {
            Kubectl wide = Kubectl.run(dir, e.get("kubeconfig"), null, "get", "pod", "web", "-o",
                "jsonpath={.spec.nodeName}");
            assertThat(wide.out()).isEqualTo("worker-1");
          });

      // `kafkube audit`: the API requests kubectl made, read back from kafkube.audit by object and user
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> {
            Run audit = run("audit", "--object", "pods/default/web", "--data-dir", dir.toString());
            assertThat(audit.code).as(audit.out).isZero();
            assertThat(audit.out).contains("kubernetes-admin").contains("create").contains("201")
                .contains("pods default/web");
          });
      Run auditJson = run("audit", "--object", "pods/default/web", "--since", "10m", "-o", "json", "--data-dir",
          dir.toString());
      assertThat(auditJson.out).contains("\"apiVersion\":\"audit.k8s.io/v1\"").contains("\"stage\":\"ResponseComplete\"");
      Run nobody = run("audit", "--user", "nobody", "--data-dir", dir.toString());
      assertThat(nobody.code).isZero();
      assertThat(nobody.out.lines().count()).as(nobody.out).isEqualTo(1); // the header alone
      assertThat(run("audit", "--since", "yesterday", "--data-dir", dir.toString()).code).isNotZero();

      Run history = run("history", "configmaps/default/settings", "--data-dir", dir.toString());
      assertThat(history.code).isZero();
      assertThat(history.out).contains("bob").contains("CREATE").contains("UPDATE")
          .contains("created").contains("replace /data/a: \"2\"");
      assertThat(history.out.indexOf("CREATE")).isLessThan(history.out.indexOf("UPDATE"));

      Run namespaces = run("history", "/registry/namespaces/", "--data-dir", dir.toString(), "--no-diff");
      assertThat(namespaces.out).contains("/registry/namespaces/default", "/registry/namespaces/kube-system",
          "/registry/namespaces/kube-public", "/registry/namespaces/kube-node-lease", "system:kafkube-store");

      // The etcd v3 endpoint: a raw key written through it, and the objects under /registry/.
      assertThat(e.get("etcd")).startsWith("http://127.0.0.1:");
      io.grpc.ManagedChannel channel = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder
          .forTarget(e.get("etcd").substring("http://".length())).usePlaintext().build();
      try {
        io.etcd.jetcd.api.KVGrpc.KVBlockingStub kv = io.etcd.jetcd.api.KVGrpc.newBlockingStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS);
        com.google.protobuf.ByteString key = com.google.protobuf.ByteString.copyFromUtf8("greeting");
        kv.put(io.etcd.jetcd.api.PutRequest.newBuilder().setKey(key)
            .setValue(com.google.protobuf.ByteString.copyFromUtf8("hello")).build());
        assertThat(kv.range(io.etcd.jetcd.api.RangeRequest.newBuilder().setKey(key).build()).getKvs(0)
            .getValue().toStringUtf8()).isEqualTo("hello");
        com.google.protobuf.ByteString registry = com.google.protobuf.ByteString.copyFromUtf8("/registry/configmaps/");
        assertThat(kv.range(io.etcd.jetcd.api.RangeRequest.newBuilder().setKey(registry)
            .setRangeEnd(com.google.protobuf.ByteString.copyFromUtf8("/registry/configmaps0")).setKeysOnly(true)
            .build()).getKvsList()).extracting(k -> k.getKey().toStringUtf8())
            .contains("/registry/configmaps/default/settings");
      } finally {
        channel.shutdownNow();
      }

      Run replay = run("replay", "--data-dir", dir.toString());
      assertThat(replay.code).as(replay.out).isZero();
      assertThat(replay.out).contains("equal");
    }
    assertThat(Files.exists(dir.resolve(Endpoints.FILE))).isFalse();

    try (LocalCluster again = LocalCluster.start(settings, 0)) {
      Run history = run("history", "configmaps/default/settings", "--data-dir", dir.toString());
      assertThat(history.out).contains("CREATE").contains("UPDATE");
      Run namespaces = run("history", "namespaces/default", "--data-dir", dir.toString(), "--no-diff");
      assertThat(namespaces.out.lines().filter(l -> l.contains("CREATE")).count())
          .as("the default namespaces are created once, not on every start").isEqualTo(1);
      assertThat(run("replay", "--data-dir", dir.toString()).code).isZero();
    }
  }

  private static ReplyView call(CommandClient client, Op op, GenericRecord cm) throws Exception {
    Meta.set(cm, "namespace", "default");
    GenericRecord cmd = Envelopes.command(op, CM.key("default", Meta.name(cm)).toString(), CM.groupResource(), BOB,
        client.newRequestId()).object(cm).replyPartition(client.replyPartition()).build();
    return client.call(cmd, Duration.ofSeconds(30));
  }

  private record Run(int code, String out) {}

  private static Run run(String... args) {
    StringWriter sw = new StringWriter();
    CommandLine cl = new CommandLine(new Kafkube());
    cl.setOut(new PrintWriter(sw));
    cl.setErr(new PrintWriter(sw));
    int code = cl.execute(args);
    return new Run(code, sw.toString());
  }
}
