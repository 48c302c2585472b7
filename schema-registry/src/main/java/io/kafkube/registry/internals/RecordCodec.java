package io.kafkube.registry.internals;

import io.kafkube.registry.client.CompatibilityLevel;
import io.kafkube.registry.internals.RegistryRecord.Config;
import io.kafkube.registry.internals.RegistryRecord.IdWatermark;
import io.kafkube.registry.internals.RegistryRecord.Leader;
import io.kafkube.registry.internals.RegistryRecord.SchemaTombstone;
import io.kafkube.registry.internals.RegistryRecord.SchemaVersion;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * The JSON key/value encoding of registry records on the topic. SCHEMA and CONFIG records use
 * Confluent's {@code _schemas} shapes; ID_WATERMARK and LEADER are kafkube's own key types. Keys
 * are rendered with a fixed field order so that compaction sees equal keys as equal bytes.
 */
public final class RecordCodec {
  /** A key/value pair as bytes; value null is a tombstone. */
  public record Encoded(byte[] key, byte[] value) {}

  /** A record that is not understood (unknown key type or malformed JSON). */
  public static final class UnknownRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnknownRecordException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private RecordCodec() {}

  public static Encoded encode(RegistryRecord record) {
    if (record instanceof SchemaVersion v) {
      JsonObject value = new JsonObject().put("subject", v.subject()).put("version", v.version())
          .put("id", v.id()).put("schema", v.schema()).put("deleted", v.deleted());
      return new Encoded(schemaKey(v.subject(), v.version()), bytes(value));
    }
    if (record instanceof SchemaTombstone t) {
      return new Encoded(schemaKey(t.subject(), t.version()), null);
    }
    if (record instanceof Config c) {
      JsonObject key = new JsonObject().put("keytype", "CONFIG").put("subject", c.subject()).put("magic", 0);
      byte[] value = c.level() == null ? null : bytes(new JsonObject().put("compatibilityLevel", c.level().name()));
      return new Encoded(bytes(key), value);
    }
    if (record instanceof IdWatermark w) {
      JsonObject key = new JsonObject().put("keytype", "ID_WATERMARK").put("magic", 0);
      return new Encoded(bytes(key), bytes(new JsonObject().put("maxId", w.maxId())));
    }
    if (record instanceof Leader l) {
      JsonObject key = new JsonObject().put("keytype", "LEADER").put("magic", 0);
      return new Encoded(bytes(key),
          bytes(new JsonObject().put("instance", l.instanceId()).put("url", l.url())));
    }
    throw new IllegalArgumentException("unknown record " + record);
  }

  /** Decodes a key/value read from the topic. */
  public static RegistryRecord decode(byte[] key, byte[] value) {
    try {
      JsonObject k = new JsonObject(new String(key, StandardCharsets.UTF_8));
      JsonObject v = value == null ? null : new JsonObject(new String(value, StandardCharsets.UTF_8));
      String type = k.getString("keytype");
      if (type == null) {
        throw new UnknownRecordException("no keytype in " + k, null);
      }
      switch (type) {
        case "SCHEMA": {
          String subject = k.getString("subject");
          int version = k.getInteger("version");
          if (v == null) {
            return new SchemaTombstone(subject, version);
          }
          return new SchemaVersion(subject, version, v.getInteger("id"), v.getString("schema"),
              v.getBoolean("deleted", false));
        }
        case "CONFIG": {
          CompatibilityLevel level = null;
          if (v != null) {
            String name = v.getString("compatibilityLevel");
            level = CompatibilityLevel.parse(name)
                .orElseThrow(() -> new UnknownRecordException("unknown level " + name, null));
          }
          return new Config(k.getString("subject"), level);
        }
        case "ID_WATERMARK":
          return new IdWatermark(v == null ? 0 : v.getInteger("maxId"));
        case "LEADER":
          return v == null ? new Leader(null, null) : new Leader(v.getString("instance"), v.getString("url"));
        default:
          throw new UnknownRecordException("unknown keytype " + type, null);
      }
    } catch (UnknownRecordException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new UnknownRecordException("malformed registry record: " + e.getMessage(), e);
    }
  }

  private static byte[] schemaKey(String subject, int version) {
    JsonObject key = new JsonObject().put("keytype", "SCHEMA").put("subject", subject)
        .put("version", version).put("magic", 1);
    return bytes(key);
  }

  private static byte[] bytes(JsonObject json) {
    return json.encode().getBytes(StandardCharsets.UTF_8);
  }
}
