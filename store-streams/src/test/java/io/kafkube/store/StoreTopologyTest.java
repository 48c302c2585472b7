package io.kafkube.store;

import static io.kafkube.store.TestObjects.PODS;
import static io.kafkube.store.TestObjects.command;
import static io.kafkube.store.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.registry.client.InMemorySchemaRegistryClient;
import io.kafkube.registry.serde.AvroDeserializer;
import io.kafkube.registry.serde.AvroSerde;
import io.kafkube.registry.serde.AvroSerializer;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.envelope.CommandView;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.topic.KafkubeTopics;
import io.kafkube.schemas.topic.TopicCatalog;
import io.kafkube.store.internal.ObjectSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped store topology on {@link TopologyTestDriver}, with P = 1 and P > 1. */
class StoreTopologyTest {
  private TopologyTestDriver driver;
  private String scope;
  private InMemorySchemaRegistryClient client;

  private TopicCatalog setUp(int partitions) {
    scope = "store-" + UUID.randomUUID();
    InMemorySchemaRegistryClient client = InMemorySchemaRegistryClient.forScope(scope);
    this.client = client;
    TopicCatalog topics = KafkubeTopics.catalog("t", partitions, schema -> AvroSerde.generic(client, schema, false));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "store-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    driver = new TopologyTestDriver(StoreTopology.build(topics, ResourceRegistry.kubernetes(),
        new ObjectSize(KafkubeSchemas.command().getField("object").schema()),
        AvroSerializer.generic(client, false), new SharedObjectRules(), (partition, target) -> 0), props);
    return topics;
  }

  @AfterEach
  void tearDown() {
    if (driver != null) {
      driver.close();
    }
    InMemorySchemaRegistryClient.dropScope(scope);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 4})
  void aPodsLifeThroughTheStore(int partitions) {
    TopicCatalog topics = setUp(partitions);
    TestInputTopic<String, GenericRecord> commands = driver.createInputTopic(topics.commands().name(),
        Serdes.String().serializer(), topics.commands().valueSerde().serializer());
    TestOutputTopic<String, GenericRecord> state = out(topics.state(PODS).name(), topics);
    TestOutputTopic<String, GenericRecord> history = out(topics.history().name(), topics);
    TestOutputTopic<String, GenericRecord> replies = out(topics.replies().name(), topics);
    TestOutputTopic<String, GenericRecord> assignments = out(topics.assignments().name(), topics);
    String key = TestObjects.key(PODS, "default", "web");

    commands.pipeInput(key, command(Op.CREATE, PODS, "default", "web", "c1").object(pod("default", "web", "nginx")).build());
    commands.pipeInput(key, command(Op.CREATE, PODS, "default", "web", "c2").object(pod("default", "web", "nginx")).build());
    commands.pipeInput(key, command(Op.BIND, PODS, "default", "web", "b1").nodeName("node-1").build());
    commands.pipeInput(key, command(Op.DELETE, PODS, "default", "web", "d1").gracePeriodSeconds(0L).build());

    List<TestRecord<String, GenericRecord>> r = replies.readRecordsToList();
    assertThat(r).extracting(TestRecord::key).containsExactly("c1", "c2", "b1", "d1");
    assertThat(r).extracting(x -> new ReplyView(x.value()).code()).containsExactly(201, 409, 201, 200);
    // revision = offset * P + partition (the driver feeds partition 0)
    assertThat(new ReplyView(r.get(0).value()).revision()).isEqualTo(0);
    assertThat(new ReplyView(r.get(2).value()).revision()).isEqualTo(2L * partitions);
    assertThat(Meta.resourceVersion(new ReplyView(r.get(2).value()).object())).isEqualTo(Long.toString(2L * partitions));

    List<KeyValue<String, GenericRecord>> s = state.readKeyValuesToList();
    assertThat(s).hasSize(3);
    assertThat(s.get(2).value).isNull(); // tombstone
    assertThat(topics.state(PODS).name()).isEqualTo("t.state.pods");

    List<GenericRecord> h = history.readValuesToList();
    assertThat(h).extracting(c -> c.get("verb").toString()).containsExactly("CREATE", "BIND", "DELETE");
    assertThat(h).extracting(c -> ((Number) c.get("revision")).longValue())
        .containsExactly(0L, 2L * partitions, 3L * partitions);
    assertThat(h.get(0).get("before")).isNull();
    assertThat(h.get(2).get("after")).isNull();
    assertThat(((GenericRecord) h.get(0).get("user")).get("username")).isEqualTo("alice");

    Map<String, GenericRecord> assigned = assignments.readKeyValuesToMap();
    assertThat(assigned).containsOnlyKeys("node-1" + key);
    assertThat(assigned.get("node-1" + key)).isNull(); // bound, then removed by the delete
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void rejectedCommandsOnlyReply(int partitions) {
    TopicCatalog topics = setUp(partitions);
    TestInputTopic<String, GenericRecord> commands = driver.createInputTopic(topics.commands().name(),
        Serdes.String().serializer(), topics.commands().valueSerde().serializer());
    String key = TestObjects.key(PODS, "default", "nope");
    commands.pipeInput(key, command(Op.DELETE, PODS, "default", "nope", "d").build());
    commands.pipeInput(key, command(Op.UPDATE, PODS, "default", "nope", "u").object(pod("default", "nope", "x")).build());
    commands.pipeInput(TestObjects.key(PODS, "default", "Bad"),
        command(Op.CREATE, PODS, "default", "Bad", "c").object(pod("default", "Bad", "x")).build());
    commands.pipeInput(key, command(Op.CREATE, PODS, "default", "nope", "dry").dryRun(true)
        .object(pod("default", "nope", "x")).build());

    List<ReplyView> r = out(topics.replies().name(), topics).readValuesToList().stream().map(ReplyView::new).toList();
    assertThat(r).extracting(ReplyView::code).containsExactly(404, 404, 422, 201);
    assertThat(r.get(3).object()).isNotNull();
    assertThat(r.get(3).revision()).isEqualTo(-1);
    assertThat(out(topics.state(PODS).name(), topics).isEmpty()).isTrue();
    assertThat(out(topics.history().name(), topics).isEmpty()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5})
  void repliesGoToThePartitionTheClientReads(int partitions) {
    TopicCatalog topics = setUp(partitions);
    TestInputTopic<String, GenericRecord> commands = driver.createInputTopic(topics.commands().name(),
        Serdes.String().serializer(), topics.commands().valueSerde().serializer());
    String key = TestObjects.key(PODS, "default", "a");
    int wanted = partitions - 1;
    commands.pipeInput(key, command(Op.CREATE, PODS, "default", "a", "c").replyPartition(wanted)
        .object(pod("default", "a", "nginx")).build());
    // The driver does not expose output partitions; the partitioner is checked directly.
    GenericRecord reply = out(topics.replies().name(), topics).readValue();
    assertThat(StoreTopology.replyPartitioner().partitions(topics.replies().name(), "c", reply, partitions))
        .contains(java.util.Set.of(wanted));
  }

  @Test
  void aCommandWhoseSenderReadsNoReplyIsAppliedWithoutOne() {
    TopicCatalog topics = setUp(3);
    TestInputTopic<String, GenericRecord> commands = driver.createInputTopic(topics.commands().name(),
        Serdes.String().serializer(), topics.commands().valueSerde().serializer());
    String key = TestObjects.key(PODS, "default", "web");
    commands.pipeInput(key, command(Op.CREATE, PODS, "default", "web", "c1").object(pod("default", "web", "nginx"))
        .build());
    commands.pipeInput(key, command(Op.BIND, PODS, "default", "web", "b1").nodeName("node-1").noReply().build());
    commands.pipeInput(key, command(Op.BIND, PODS, "default", "web", "b2").nodeName("node-2").noReply().build());
    commands.pipeInput(key, command(Op.BIND, PODS, "default", "web", "b3").nodeName("node-2").build());

    // the binding is applied and recorded; only the commands that want a reply get one, refusals included
    assertThat(out(topics.replies().name(), topics).readRecordsToList()).extracting(TestRecord::key)
        .containsExactly("c1", "b3");
    assertThat(out(topics.history().name(), topics).readValuesToList()).extracting(c -> c.get("verb").toString())
        .containsExactly("CREATE", "BIND");
    assertThat(out(topics.assignments().name(), topics).readKeyValuesToMap()).containsOnlyKeys("node-1" + key);
    assertThat(new CommandView(command(Op.BIND, PODS, "default", "web", "b").noReply().build()).wantsReply())
        .isFalse();
    assertThat(new CommandView(command(Op.BIND, PODS, "default", "web", "b").build()).wantsReply()).isTrue();
  }

  @Test
  void aCommandAnsweredInHistoryGetsAReplyOnlyWhenItsChangeDoesNotTellTheOutcome() {
    TopicCatalog topics = setUp(3);
    TestInputTopic<String, GenericRecord> commands = driver.createInputTopic(topics.commands().name(),
        Serdes.String().serializer(), topics.commands().valueSerde().serializer());
    TestOutputTopic<String, GenericRecord> history = out(topics.history().name(), topics);
    String key = TestObjects.key(PODS, "default", "web");
    commands.pipeInput(key, command(Op.CREATE, PODS, "default", "web", "c1").object(pod("default", "web", "nginx"))
        .replyInHistory().build());
    commands.pipeInput(key, command(Op.CREATE, PODS, "default", "web", "c2").object(pod("default", "web", "nginx"))
        .replyInHistory().build());
    GenericRecord createdChange = history.readValuesToList().get(0);
    GenericRecord created = (GenericRecord) createdChange.get("after");
    GenericRecord labelled = new org.apache.avro.generic.GenericData().deepCopy(created.getSchema(), created);
    TestObjects.setLabels(labelled, Map.of("tier", "web"));
    commands.pipeInput(key, command(Op.UPDATE, PODS, "default", "web", "u1").object(labelled).replyInHistory().build());
    commands.pipeInput(TestObjects.key(PODS, "default", "dry"), command(Op.CREATE, PODS, "default", "dry", "dry")
        .object(pod("default", "dry", "nginx")).dryRun(true).replyInHistory().build());
    commands.pipeInput(key, command(Op.BIND, PODS, "default", "web", "b1").nodeName("node-1").replyInHistory().build());
    commands.pipeInput(key, command(Op.DELETE, PODS, "default", "web", "d1").gracePeriodSeconds(0L).replyInHistory()
        .build());
    commands.pipeInput(TestObjects.key(PODS, "default", "db"), command(Op.CREATE, PODS, "default", "db", "c3")
        .object(pod("default", "db", "postgres")).build());

    // refused, not written, or not told by the change alone (a binding, a delete), or not marked: a Reply
    List<TestRecord<String, GenericRecord>> replies = out(topics.replies().name(), topics).readRecordsToList();
    assertThat(replies).extracting(TestRecord::key).containsExactly("c2", "dry", "b1", "d1", "c3");
    assertThat(replies).extracting(x -> new ReplyView(x.value()).code()).containsExactly(409, 201, 201, 200, 201);
    // a written create or update: its Change is the answer, as the store would have replied
    List<GenericRecord> changes = history.readValuesToList();
    assertThat(changes).extracting(c -> c.get("requestId").toString()).containsExactly("u1", "b1", "d1", "c3");
    ReplyView fromCreate = ReplyView.fromChange(createdChange);
    assertThat(fromCreate.code()).isEqualTo(201);
    assertThat(fromCreate.requestId()).isEqualTo("c1");
    assertThat(fromCreate.revision()).isEqualTo(Long.parseLong(Meta.resourceVersion(created)));
    assertThat(fromCreate.object()).isSameAs(created);
    ReplyView fromUpdate = ReplyView.fromChange(changes.get(0));
    assertThat(fromUpdate.code()).isEqualTo(200);
    assertThat(Meta.labels(fromUpdate.object())).containsEntry("tier", "web");
    assertThat(fromUpdate.revision()).isEqualTo(Long.parseLong(Meta.resourceVersion(fromUpdate.object())));
    assertThat(ReplyView.fromChange(changes.get(1))).isNull();
    assertThat(ReplyView.fromChange(changes.get(2))).isNull();
  }

  /**
   * The store writes each Change's "before" as the bytes the object was written as when it became current
   * (kept beside it, not encoded again): each one is exactly the state topic's previous value of its key,
   * through creates, updates, a status update, a binding, a re-create after a delete, and a dry run between.
   */
  @Test
  void eachChangeCarriesAsItsBeforeTheObjectThePreviousWriteMadeCurrent() {
    TopicCatalog topics = setUp(2);
    TestInputTopic<String, GenericRecord> commands = driver.createInputTopic(topics.commands().name(),
        Serdes.String().serializer(), topics.commands().valueSerde().serializer());
    TestOutputTopic<String, GenericRecord> state = out(topics.state(PODS).name(), topics);
    TestOutputTopic<String, GenericRecord> history = out(topics.history().name(), topics);
    String key = TestObjects.key(PODS, "default", "web");
    commands.pipeInput(key, command(Op.CREATE, PODS, "default", "web", "c1").object(pod("default", "web", "nginx"))
        .build());
    GenericRecord created = state.readValue();
    GenericRecord labelled = GenericData.get().deepCopy(created.getSchema(), created);
    TestObjects.setLabels(labelled, Map.of("tier", "web"));
    commands.pipeInput(key, command(Op.UPDATE, PODS, "default", "web", "u1").object(labelled).build());
    GenericRecord dry = GenericData.get().deepCopy(created.getSchema(), created);
    TestObjects.setLabels(dry, Map.of("tier", "dry"));
    commands.pipeInput(key, command(Op.UPDATE, PODS, "default", "web", "dry").object(dry).dryRun(true).build());
    commands.pipeInput(key, command(Op.BIND, PODS, "default", "web", "b1").nodeName("node-1").build());
    commands.pipeInput(key, command(Op.DELETE, PODS, "default", "web", "d1").gracePeriodSeconds(0L).build());
    commands.pipeInput(key, command(Op.CREATE, PODS, "default", "web", "c2").object(pod("default", "web", "httpd"))
        .build());
    commands.pipeInput(key, command(Op.BIND, PODS, "default", "web", "b2").nodeName("node-2").build());

    List<GenericRecord> states = new ArrayList<>(List.of(created));
    states.addAll(state.readValuesToList());
    List<GenericRecord> changes = history.readValuesToList();
    assertThat(changes).extracting(c -> c.get("verb").toString())
        .containsExactly("CREATE", "UPDATE", "BIND", "DELETE", "CREATE", "BIND");
    assertThat(states).hasSize(changes.size());
    GenericRecord previous = null;
    for (int i = 0; i < changes.size(); i++) {
      assertThat(changes.get(i).get("before")).as("before of change %d", i).isEqualTo(previous);
      assertThat(changes.get(i).get("after")).as("after of change %d", i).isEqualTo(states.get(i));
      previous = states.get(i);
    }
    assertThat(Meta.labels(states.get(2))).containsEntry("tier", "web"); // the bound pod, not the dry run's
    assertThat(AvroPaths.string(AvroPaths.record(states.get(5), "spec"), "nodeName")).isEqualTo("node-2");
  }

  private TestOutputTopic<String, GenericRecord> out(String topic, TopicCatalog topics) {
    return driver.createOutputTopic(topic, Serdes.String().deserializer(), AvroDeserializer.generic(client));
  }
}
