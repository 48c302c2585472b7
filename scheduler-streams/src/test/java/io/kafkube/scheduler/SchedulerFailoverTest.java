package io.kafkube.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kafkube.kafka.embedded.EmbeddedKafka;
import io.kafkube.registry.client.CachedSchemaRegistryClient;
import io.kafkube.registry.serde.AvroDeserializer;
import io.kafkube.registry.serde.AvroSerde;
import io.kafkube.registry.serde.AvroSerializer;
import io.kafkube.registry.server.RegistryConfig;
import io.kafkube.registry.server.SchemaRegistryServer;
import io.kafkube.scheduler.testing.TestNodes;
import io.kafkube.scheduler.testing.TestPods;
import io.kafkube.schemas.envelope.CommandView;
import io.kafkube.schemas.envelope.Envelopes;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.envelope.User;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.topic.KafkubeTopics;
import io.kafkube.schemas.topic.TopicAdmin;
import io.kafkube.schemas.topic.TopicCatalog;
import io.kafkube.store.SharedObjectRules;
import io.kafkube.store.StoreConfig;
import io.kafkube.store.StoreService;
import io.kafkube.store.client.CommandClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two scheduler processes (one active, one standby) on a real broker with the real store; the
 * active one is killed with SIGKILL in the middle of a run. The other takes over: every pod is bound
 * exactly once (one committed BIND per pod), none moves, no node holds more than it has.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SchedulerFailoverTest {
  private static final int P = 3;
  private static final int PODS = 60;
  private static final User ADMIN = new User("admin", List.of("system:masters"), null);

  @TempDir
  static Path dir;
  static EmbeddedKafka kafka;
  static SchemaRegistryServer registry;
  static TopicCatalog topics;
  static StoreService store;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.builder().dataDir(dir.resolve("kafka")).build().start();
    registry = SchemaRegistryServer.startAndWait(
        RegistryConfig.builder(kafka.bootstrapServers(), "kafkube._schemas").port(0).build(), Duration.ofSeconds(60));
    CachedSchemaRegistryClient client = new CachedSchemaRegistryClient(registry.url());
    topics = KafkubeTopics.catalog(KafkubeTopics.DEFAULT_PREFIX, P, s -> AvroSerde.generic(client, s, false));
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      TopicAdmin.ensureCreated(admin, topics.all(), (short) 1);
    }
    store = StoreService.start(StoreConfig.defaults().withBootstrapServers(kafka.bootstrapServers())
            .withRegistryUrl(registry.url()).withPartitions(P).withStateDir(dir.resolve("store")),
        topics, AvroSerializer.generic(client, false), new SharedObjectRules(), Duration.ofMinutes(2));
  }

  @AfterAll
  static void stop() {
    if (store != null) {
      store.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private record Scheduler(String name, Process process, Path log) {
    String output() {
      try {
        return Files.exists(log) ? Files.readString(log) : "";
      } catch (IOException e) {
        return "";
      }
    }

    boolean running() {
      String out = output();
      return out.lastIndexOf("-> RUNNING") > out.lastIndexOf("-> REBALANCING");
    }

    /** Whether its scheduling task is open here: last "ready" after last "closed". */
    boolean active() {
      String out = output();
      return out.lastIndexOf("task 1_0 ready") > out.lastIndexOf("task 1_0 closed");
    }
  }

  private static Scheduler startScheduler(String name) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = dir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), SchedulerMain.class.getName(),
        "--bootstrap-servers", kafka.bootstrapServers(), "--registry-url", registry.url(),
        "--partitions", Integer.toString(P), "--state-dir", dir.resolve(name).toString(),
        "--standby-replicas", "1", "--session-timeout-ms", "6000");
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new Scheduler(name, pb.start(), log);
  }

  private static GenericRecord create(CommandClient client, ResourceType type, String key, GenericRecord obj) {
    for (String f : List.of("uid", "resourceVersion", "creationTimestamp")) {
      Meta.set(obj, f, null);
    }
    return Envelopes.command(Op.CREATE, key, type.groupResource(), ADMIN, client.newRequestId())
        .replyPartition(client.replyPartition()).object(obj).build();
  }

  private static KafkaConsumer<String, GenericRecord> consumer(String topic) {
    Properties props = kafka.clientProperties();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, GenericRecord> c = new KafkaConsumer<>(props, new StringDeserializer(),
        AvroDeserializer.generic(new CachedSchemaRegistryClient(registry.url())));
    List<TopicPartition> parts = new ArrayList<>();
    for (int i = 0; i < P; i++) {
      parts.add(new TopicPartition(topic, i));
    }
    c.assign(parts);
    c.seekToBeginning(parts);
    return c;
  }

  @Test
  void killNineOfTheActiveSchedulerMidRunBindsEveryPodExactlyOnce() throws Exception {
    Scheduler a = startScheduler("scheduler-a");
    Scheduler b = null;
    Map<String, String> boundTo = new HashMap<>();
    Scheduler killed = null;
    try (CommandClient client = new CommandClient(kafka.bootstrapServers(), topics, -1);
         KafkaConsumer<String, GenericRecord> pods = consumer(topics.state(TestPods.PODS).name())) {
      StoreService.bootstrapNamespaces(client, Duration.ofSeconds(60));
      for (int i = 0; i < 3; i++) {
        TestNodes.Builder n = TestNodes.node("worker-" + i).cpu("4").memory("16Gi").pods(110);
        ReplyView r = client.call(create(client, TestNodes.NODES, n.key(), n.obj()), Duration.ofSeconds(30));
        assertThat(r.code()).as(r.message()).isEqualTo(201);
      }
      await().atMost(Duration.ofSeconds(90)).until(a::active);
      b = startScheduler("scheduler-b");
      Scheduler second = b;
      await().atMost(Duration.ofSeconds(90)).until(() -> second.running() && a.running());
      Thread.sleep(2000); // let the assignment settle: one active task, one standby
      await().atMost(Duration.ofSeconds(30)).until(() -> a.active() ^ second.active());

      Runnable watch = () -> pods.poll(Duration.ofMillis(100)).forEach(r -> {
        String node = r.value() == null ? null : AvroPaths.string(AvroPaths.record(r.value(), "spec"), "nodeName");
        if (node != null) {
          String before = boundTo.put(r.key(), node);
          assertThat(before == null || before.equals(node)).as("%s moved from %s to %s", r.key(), before, node)
              .isTrue();
        }
      });
      // 60 x 200m = exactly the 12 cpus of the three nodes.
      List<CompletableFuture<ReplyView>> created = new ArrayList<>();
      for (int i = 0; i < PODS; i++) {
        TestPods.Builder p = TestPods.pod("job-" + i).cpu("200m").memory("64Mi");
        created.add(client.send(create(client, TestPods.PODS, p.key(), p.obj())));
        if (i == PODS / 2 - 1) {
          await().atMost(Duration.ofSeconds(60)).until(() -> {
            watch.run();
            return boundTo.size() >= PODS / 4;
          });
          killed = a.active() ? a : second;
          killed.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL
        }
      }
      for (CompletableFuture<ReplyView> f : created) {
        assertThat(f.get(60, TimeUnit.SECONDS).code()).isEqualTo(201);
      }
      await().atMost(Duration.ofSeconds(120)).until(() -> {
        watch.run();
        return boundTo.size() == PODS;
      });
    } finally {
      for (Scheduler s : new Scheduler[] {a, b}) {
        if (s != null) {
          s.process().destroy();
          s.process().waitFor(30, TimeUnit.SECONDS);
        }
      }
    }
    assertThat(killed).isNotNull();
    Scheduler survivor = killed == a ? b : a;
    assertThat(survivor.output()).as("the survivor took the task over").contains("task 1_0 ready");

    Map<String, Long> cpuOnNode = new HashMap<>();
    boundTo.values().forEach(node -> cpuOnNode.merge(node, 200L, Long::sum));
    assertThat(cpuOnNode.values()).allSatisfy(cpu -> assertThat(cpu).isLessThanOrEqualTo(4000L));

    Map<String, Integer> bindsPerPod = new HashMap<>();
    try (KafkaConsumer<String, GenericRecord> commands = consumer(topics.commands().name())) {
      List<TopicPartition> parts = new ArrayList<>(commands.assignment());
      Map<TopicPartition, Long> end = commands.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> commands.position(tp) < end.get(tp))) {
        commands.poll(Duration.ofMillis(200)).forEach(r -> {
          CommandView c = new CommandView(r.value());
          if (c.op() == Op.BIND) {
            bindsPerPod.merge(c.key(), 1, Integer::sum);
          }
        });
      }
    }
    assertThat(bindsPerPod).hasSize(PODS);
    assertThat(bindsPerPod.values()).as("committed BINDs per pod").allMatch(n -> n == 1);
  }
}
