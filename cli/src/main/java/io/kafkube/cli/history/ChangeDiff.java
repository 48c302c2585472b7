package io.kafkube.cli.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.flipkart.zjsonpatch.DiffFlags;
import com.flipkart.zjsonpatch.JsonDiff;
import io.kafkube.schemas.json.KubeJson;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/** What changed between two versions of an object, as JSON-patch lines ({@code replace /spec/replicas: 3}). */
final class ChangeDiff {
  private static final int MAX_VALUE = 120;

  private ChangeDiff() {}

  static List<String> lines(GenericRecord before, GenericRecord after) {
    if (before == null && after == null) {
      return List.of();
    }
    if (before == null) {
      return List.of("created");
    }
    if (after == null) {
      return List.of("deleted");
    }
    JsonNode a = KubeJson.toJson(before);
    JsonNode b = KubeJson.toJson(after);
    JsonNode patch = JsonDiff.asJson(a, b, EnumSet.of(DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION));
    List<String> out = new ArrayList<>();
    for (JsonNode op : patch) {
      String path = op.get("path").asText();
      if (path.equals("/metadata/resourceVersion") || path.equals("/metadata/managedFields")) {
        continue;
      }
      String verb = op.get("op").asText();
      JsonNode value = op.has("value") ? op.get("value") : JsonNodeFactory.instance.nullNode();
      out.add(verb.equals("remove") ? verb + " " + path : verb + " " + path + ": " + shorten(value.toString()));
    }
    return out;
  }

  private static String shorten(String s) {
    return s.length() <= MAX_VALUE ? s : s.substring(0, MAX_VALUE - 3) + "...";
  }
}
