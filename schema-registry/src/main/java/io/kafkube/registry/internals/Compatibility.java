package io.kafkube.registry.internals;

import io.kafkube.registry.client.CompatibilityLevel;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/** Compatibility checks, delegated to Avro's {@link SchemaCompatibility}. */
public final class Compatibility {
  private Compatibility() {}

  /** An earlier version to check against. */
  public record Earlier(int version, Schema schema) {}

  /**
   * The incompatibilities of {@code candidate} with {@code earlier} (oldest first) under
   * {@code level}: against the latest only, or all of them when the level is transitive. Empty
   * means compatible.
   */
  public static List<String> check(CompatibilityLevel level, Schema candidate, List<Earlier> earlier) {
    List<String> messages = new ArrayList<>();
    if (level == CompatibilityLevel.NONE || earlier.isEmpty()) {
      return messages;
    }
    List<Earlier> against = level.transitive() ? earlier : List.of(earlier.get(earlier.size() - 1));
    for (int i = against.size() - 1; i >= 0; i--) {
      Earlier old = against.get(i);
      List<String> found = new ArrayList<>();
      if (level.backward()) {
        describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, old.schema()),
            "the new schema cannot read data written with version " + old.version(), found);
      }
      if (level.forward()) {
        describe(SchemaCompatibility.checkReaderWriterCompatibility(old.schema(), candidate),
            "version " + old.version() + " cannot read data written with the new schema", found);
      }
      if (!found.isEmpty()) {
        messages.addAll(found);
        messages.add("{oldSchemaVersion: " + old.version() + "}");
        messages.add("{oldSchema: '" + old.schema() + "'}");
      }
    }
    if (!messages.isEmpty()) {
      messages.add("{compatibility: '" + level + "'}");
    }
    return messages;
  }

  private static void describe(SchemaPairCompatibility result, String direction, List<String> out) {
    if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      return;
    }
    for (Incompatibility inc : result.getResult().getIncompatibilities()) {
      out.add("{errorType:'" + inc.getType() + "', description:'" + direction + ": " + inc.getMessage()
          + " at path '" + inc.getLocation() + "'', additionalInfo:'" + inc.getMessage() + "'}");
    }
  }
}
