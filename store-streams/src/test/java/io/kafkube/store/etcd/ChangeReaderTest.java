package io.kafkube.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.registry.client.InMemorySchemaRegistryClient;
import io.kafkube.registry.serde.AvroDeserializer;
import io.kafkube.registry.serde.AvroSerializer;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.envelope.Envelopes;
import io.kafkube.schemas.envelope.KeyValues;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.store.TestObjects;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** History values as the etcd view reads them: revision and object after, objects left encoded. */
class ChangeReaderTest {
  private final String scope = "change-reader-" + UUID.randomUUID();
  private final InMemorySchemaRegistryClient client = InMemorySchemaRegistryClient.forScope(scope);
  private final AvroSerializer<GenericRecord> serializer = AvroSerializer.generic(client, false);
  private final Deserializer<GenericRecord> avro = AvroDeserializer.generic(client);

  @AfterEach
  void dropScope() {
    InMemorySchemaRegistryClient.dropScope(scope);
  }

  private byte[] encode(long revision, Op verb, GenericRecord before, GenericRecord after) {
    GenericRecord change = Envelopes.change(revision, verb, "/registry/pods/default/web", "pods",
        Envelopes.userRecord(TestObjects.ALICE), 1_700_000_000_000L, "r-" + revision, before, after);
    return serializer.serialize("t.history", change);
  }

  @Test
  void readsTheRevisionAndKeepsTheObjectAfterEncoded() {
    GenericRecord created = TestObjects.pod("default", "web", "nginx");
    Meta.set(created, "resourceVersion", "12");
    GenericRecord bound = new org.apache.avro.generic.GenericData().deepCopy(created.getSchema(), created);
    Meta.set(bound, "resourceVersion", "30");
    ((GenericRecord) bound.get("spec")).put("nodeName", "node-1");
    ChangeReader reader = new ChangeReader(avro);

    ChangeReader.Read create = reader.read("t.history", encode(12, Op.CREATE, null, created));
    assertThat(create.revision()).isEqualTo(12);
    assertThat(create.decoded()).isNull();
    assertThat(create.encoded().decode()).isEqualTo(created);
    assertThat(create.deletes()).isFalse();

    // the object before (a whole pod) is skipped, the one after read back as written
    ChangeReader.Read bind = reader.read("t.history", encode(30, Op.BIND, created, bound));
    assertThat(bind.revision()).isEqualTo(30);
    assertThat(bind.encoded().decode()).isEqualTo(bound);
    assertThat(bind.encoded().reader()).as("one reader per writer schema").isSameAs(create.encoded().reader());

    ChangeReader.Read delete = reader.read("t.history", encode(31, Op.DELETE, bound, null));
    assertThat(delete.revision()).isEqualTo(31);
    assertThat(delete.deletes()).isTrue();

    assertThat(reader.read("t.history", null)).isNull();
  }

  @Test
  void decodesARawKeyValueAtOnce() {
    GenericRecord kv = KeyValues.of("hello".getBytes(StandardCharsets.UTF_8), 7);
    ChangeReader.Read read = new ChangeReader(avro).read("t.history", encode(5, Op.CREATE, null, kv));
    assertThat(read.revision()).isEqualTo(5);
    assertThat(read.encoded()).isNull();
    assertThat(KeyValues.isKeyValue(read.decoded())).isTrue();
    assertThat(new String(KeyValues.value(read.decoded()), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(KeyValues.lease(read.decoded())).isEqualTo(7);
  }

  @Test
  void anEntryShowsTheEncodedObjectAsKubernetesJson() {
    GenericRecord created = TestObjects.pod("default", "web", "nginx");
    ChangeReader.Read read = new ChangeReader(avro).read("t.history", encode(12, Op.CREATE, null, created));
    KvEntry entry = KvEntry.next(com.google.protobuf.ByteString.copyFromUtf8("/registry/pods/default/web"), null,
        read.decoded(), read.encoded(), read.revision());
    assertThat(entry.value().toStringUtf8()).isEqualTo(KvEntry.kubernetesJson(created));
    assertThat(entry.createRevision()).isEqualTo(12);
    assertThat(entry.version()).isEqualTo(1);
  }

  @Test
  void anotherDeserializerIsReadWhole() {
    GenericRecord created = TestObjects.pod("default", "web", "nginx");
    Deserializer<GenericRecord> other = (topic, bytes) -> avro.deserialize(topic, bytes);
    ChangeReader.Read read = new ChangeReader(other).read("t.history", encode(12, Op.CREATE, null, created));
    assertThat(read.revision()).isEqualTo(12);
    assertThat(read.encoded()).isNull();
    assertThat(read.decoded()).isEqualTo(created);
    assertThat(KafkubeSchemas.typeOf(read.decoded()).kind()).isEqualTo("Pod");
  }
}
