package io.kafkube.scheduler.internal;

import static io.kafkube.scheduler.testing.TestNodes.node;
import static io.kafkube.scheduler.testing.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kafkube.registry.client.InMemorySchemaRegistryClient;
import io.kafkube.registry.serde.AvroSerde;
import io.kafkube.scheduler.testing.TestNodes;
import io.kafkube.scheduler.testing.TestPods;
import io.kafkube.schemas.avro.KafkubeSchemas;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class EventSerdeTest {
  @Test
  void roundTripsPodsNodesAndDeletions() {
    String scope = "events-" + UUID.randomUUID();
    try {
      InMemorySchemaRegistryClient client = InMemorySchemaRegistryClient.forScope(scope);
      EventSerde serde = new EventSerde(AvroSerde.generic(client, KafkubeSchemas.kind(TestPods.PODS), false),
          "t.state.pods", AvroSerde.generic(client, KafkubeSchemas.kind(TestNodes.NODES), false), "t.state.nodes");
      for (Event e : new Event[] {
          new Event(Event.Kind.POD, pod("p").key(), pod("p").cpu("1").obj()),
          new Event(Event.Kind.NODE, node("n").key(), node("n").cpu("4").obj()),
          new Event(Event.Kind.POD, "/registry/pods/default/gone", null)}) {
        byte[] wire = serde.serializer().serialize("x", e);
        Event back = serde.deserializer().deserialize("x", wire);
        assertThat(new Event(back.kind(), back.key(), back.object())).isEqualTo(e);
        // the object's bytes are kept beside it: the wire bytes after the kind and the key
        int at = 1 + 4 + e.key().length();
        assertThat(back.encoded()).isEqualTo(e.object() == null ? null
            : java.util.Arrays.copyOfRange(wire, at, wire.length));
      }
      assertThat(client.subjects()).containsExactlyInAnyOrder("t.state.pods-value", "t.state.nodes-value");
      assertThatThrownBy(() -> serde.deserializer().deserialize("x",
          new byte[] {(byte) Event.Kind.values().length, 0, 0, 0, 0}))
          .isInstanceOf(SerializationException.class);
      assertThatThrownBy(() -> serde.deserializer().deserialize("x", new byte[] {0, 0, 0, 0, 9}))
          .isInstanceOf(SerializationException.class);
    } finally {
      InMemorySchemaRegistryClient.dropScope(scope);
    }
  }

  @Test
  void anEventStillEncodedIsCopiedAsItsStateTopicWroteIt() {
    String scope = "events-" + UUID.randomUUID();
    try {
      InMemorySchemaRegistryClient client = InMemorySchemaRegistryClient.forScope(scope);
      var pods = AvroSerde.generic(client, KafkubeSchemas.kind(TestPods.PODS), false);
      EventSerde serde = new EventSerde(pods, "t.state.pods",
          AvroSerde.generic(client, KafkubeSchemas.kind(TestNodes.NODES), false), "t.state.nodes");
      GenericRecord pod = pod("p").cpu("1").obj();
      Event decoded = new Event(Event.Kind.POD, pod("p").key(), pod);
      byte[] stateValue = pods.serializer().serialize("t.state.pods", pod);

      byte[] routed = serde.serializer().serialize("x", Event.encoded(Event.Kind.POD, pod("p").key(), stateValue));

      assertThat(routed).isEqualTo(serde.serializer().serialize("x", decoded));
      assertThat(serde.deserializer().deserialize("x", routed))
          .isEqualTo(new Event(Event.Kind.POD, pod("p").key(), pod, stateValue));
      byte[] gone = serde.serializer().serialize("x", Event.encoded(Event.Kind.POD, "/registry/pods/default/p", null));
      assertThat(serde.deserializer().deserialize("x", gone))
          .isEqualTo(new Event(Event.Kind.POD, "/registry/pods/default/p", null));
    } finally {
      InMemorySchemaRegistryClient.dropScope(scope);
    }
  }
}
