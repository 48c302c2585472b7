package io.kafkube.scheduler.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes {@link Event}s for the scheduler's internal repartition topic: one byte of kind, the
 * object key (length-prefixed UTF-8), then the object exactly as its state topic's value serde
 * writes it (Confluent wire format, under the state topic's subject), nothing for a deletion. An event
 * still {@linkplain Event#encoded encoded} (routed straight from its state topic) is copied, not re-encoded;
 * a deserialized event keeps those bytes beside the object decoded from them.
 */
public final class EventSerde implements Serde<Event> {
  /** The value serde of a kind's state topic, and that topic's name (its subject). */
  public record Source(Serde<GenericRecord> serde, String topic) {}

  private final Map<Event.Kind, Source> sources;

  public EventSerde(Serde<GenericRecord> pods, String podsTopic, Serde<GenericRecord> nodes, String nodesTopic) {
    this(Map.of(Event.Kind.POD, new Source(pods, podsTopic), Event.Kind.NODE, new Source(nodes, nodesTopic)));
  }

  public EventSerde(Map<Event.Kind, Source> sources) {
    this.sources = new EnumMap<>(sources);
  }

  private Source source(Event.Kind kind) {
    Source s = sources.get(kind);
    if (s == null) {
      throw new SerializationException("no serde for scheduler events of kind " + kind);
    }
    return s;
  }

  @Override
  public Serializer<Event> serializer() {
    return (topic, e) -> {
      if (e == null) {
        return null;
      }
      byte[] key = e.key().getBytes(StandardCharsets.UTF_8);
      Source src = source(e.kind());
      byte[] obj = e.encoded() != null ? e.encoded()
          : e.object() == null ? new byte[0] : src.serde().serializer().serialize(src.topic(), e.object());
      return ByteBuffer.allocate(1 + 4 + key.length + obj.length)
          .put((byte) e.kind().ordinal()).putInt(key.length).put(key).put(obj).array();
    };
  }

  @Override
  public Deserializer<Event> deserializer() {
    return (topic, data) -> {
      if (data == null) {
        return null;
      }
      if (data.length < 5 || data[0] < 0 || data[0] >= Event.Kind.values().length) {
        throw new SerializationException("not a scheduler event");
      }
      Event.Kind kind = Event.Kind.values()[data[0]];
      ByteBuffer b = ByteBuffer.wrap(data, 1, data.length - 1);
      int keyLength = b.getInt();
      if (keyLength < 0 || keyLength > b.remaining()) {
        throw new SerializationException("scheduler event with a bad key length " + keyLength);
      }
      String key = new String(data, 5, keyLength, StandardCharsets.UTF_8);
      int at = 5 + keyLength;
      GenericRecord obj = null;
      byte[] rest = null;
      if (at < data.length) {
        rest = Arrays.copyOfRange(data, at, data.length);
        obj = decode(kind, rest);
      }
      return new Event(kind, key, obj, rest);
    };
  }

  /** An event as the deserializer would have made it: {@code e}'s encoded object decoded, its bytes kept. */
  public Event decoded(Event e) {
    return e.object() != null || e.encoded() == null ? e
        : new Event(e.kind(), e.key(), decode(e.kind(), e.encoded()), e.encoded());
  }

  private GenericRecord decode(Event.Kind kind, byte[] value) {
    Source src = source(kind);
    return src.serde().deserializer().deserialize(src.topic(), value);
  }
}
